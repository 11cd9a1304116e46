import * as nodeFs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** The few fs calls the atomic writer makes; tests inject failures through them. */
export interface AtomicFs {
  mkdirSync: typeof nodeFs.mkdirSync;
  openSync: typeof nodeFs.openSync;
  writeSync: (fd: number, data: string) => number;
  fsyncSync: typeof nodeFs.fsyncSync;
  closeSync: typeof nodeFs.closeSync;
  renameSync: typeof nodeFs.renameSync;
  chmodSync: typeof nodeFs.chmodSync;
  rmSync: typeof nodeFs.rmSync;
}

/**
 * Writes a file so that a crash or a full disk never leaves it half written: the data goes to a
 * temp file in the same folder (created 0600, exclusive), is flushed to disk, then renamed over
 * the target in one step. The folder is created 0700 when missing.
 */
export function writeFileAtomic(path: string, data: string, fs: AtomicFs = nodeFs): void {
  const dir = dirname(path);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | null = null;
  try {
    fd = fs.openSync(temp, 'wx', 0o600);
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.chmodSync(temp, 0o600); // in case a umask or an ACL widened it
    fs.renameSync(temp, path);
  } catch (e) {
    if (fd !== null) {
      try {
        fs.closeSync(fd);
      } catch {
        /* already failing */
      }
    }
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

/**
 * Moves an unreadable file out of the way (never deletes it) so the user or support can look at
 * it later. Returns where it went, or null when even that failed.
 */
export function moveAside(path: string, why: 'corrupt' | 'newer' | 'unreadable', now = new Date()): string | null {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const target = `${path}.${why}-${stamp}`;
  try {
    nodeFs.renameSync(path, target);
    return target;
  } catch {
    try {
      nodeFs.copyFileSync(path, target);
      return target;
    } catch {
      return null;
    }
  }
}

/** Reads a UTF-8 file; null when it does not exist, throws for other failures. */
export function readIfExists(path: string): string | null {
  try {
    return nodeFs.readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
