import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transportFromEnv, type TransportSetting } from '../../electron/demo/servers/control';
import type { FileTree } from '../../electron/demo/servers/tree';
import { startWebDavServer, type WebDavServer } from '../../electron/demo/servers/webdav/server';
import { seedTestState, WEBDAV_USERS } from '../../electron/demo/servers/webdav/seed';
import { Dav, pool, type ServerKind } from './dav';

/**
 * Where the contract suite runs: the real servers named by environment variables, and Salvage's own
 * test servers of the same kinds (always there; in PHP's transport, as the kits answer).
 *
 *   SALVAGE_REAL_NEXTCLOUD   a real Nextcloud: the JSON line the kit's `up` prints
 *   SALVAGE_REAL_OWNCLOUD    a real ownCloud 10: the same
 *
 * Each takes the kit's JSON line ({"url","user","password","workdir",…}), the path of a file
 * holding it, or a URL with the credentials in it (http://admin:admin@127.0.0.1:18090). With a
 * workdir (the kit's, on this machine), big folders are seeded as files plus `occ files:scan`;
 * without one, by PUT.
 */

export const REAL_ENV: Record<ServerKind, string> = {
  nextcloud: 'SALVAGE_REAL_NEXTCLOUD',
  owncloud10: 'SALVAGE_REAL_OWNCLOUD',
};

export interface Target {
  /** "Nextcloud (real)", "ownCloud 10 (test server)". */
  label: string;
  kind: ServerKind;
  real: boolean;
  url: string;
  user: string;
  password: string;
  dav: Dav;
  /** Creates files (and their folders) below the user's root: path → content. */
  seed(files: ReadonlyMap<string, string>): Promise<void>;
  /** The kit's workdir when known (the server's database and files are there). */
  workdir: string | null;
  close(): Promise<void>;
}

export interface RealConfig {
  url: string;
  user: string;
  password: string;
  workdir: string | null;
}

/** Reads SALVAGE_REAL_* as the kit's JSON line, a file holding it, or a URL with credentials. */
export function parseRealConfig(value: string): RealConfig {
  let text = value.trim();
  if (!text.startsWith('{') && !/^https?:\/\//i.test(text) && existsSync(text))
    text = readFileSync(text, 'utf8').trim().split('\n').pop() ?? '';
  if (text.startsWith('{')) {
    const o = JSON.parse(text) as Record<string, unknown>;
    if (typeof o.url !== 'string') throw new Error('the JSON has no "url"');
    return {
      url: o.url,
      user: typeof o.user === 'string' ? o.user : 'admin',
      password: typeof o.password === 'string' ? o.password : 'admin',
      workdir: typeof o.workdir === 'string' && o.workdir ? o.workdir : null,
    };
  }
  const u = new URL(text);
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  if (!user || !password) throw new Error('the URL carries no user and password (http://user:password@host:port)');
  u.username = '';
  u.password = '';
  return { url: u.toString().replace(/\/+$/, ''), user, password, workdir: null };
}

/** The real server of a kind, or why there is none. */
export function realTarget(kind: ServerKind): { target: () => Target } | { skip: string } {
  const name = REAL_ENV[kind];
  const value = process.env[name];
  if (!value)
    return {
      skip: `no real ${kind === 'nextcloud' ? 'Nextcloud' : 'ownCloud 10'}: set ${name} to the JSON line its kit's \`up\` prints (see README, "Real-server contract suite")`,
    };
  let config: RealConfig;
  try {
    config = parseRealConfig(value);
  } catch (e) {
    return {
      skip: `${name} is not the kit's JSON line, a file holding it, or a URL with credentials: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  return { target: () => realServer(kind, config) };
}

function realServer(kind: ServerKind, config: RealConfig): Target {
  const dav = new Dav(config.url, config.user, config.password, kind);
  return {
    label: `${kind === 'nextcloud' ? 'Nextcloud' : 'ownCloud 10'} (real, ${config.url})`,
    kind,
    real: true,
    url: config.url,
    user: config.user,
    password: config.password,
    dav,
    workdir: config.workdir,
    seed: (files) =>
      config.workdir && files.size > 50
        ? seedThroughWorkdir(config.workdir, config.user, files)
        : seedThroughPut(dav, files),
    close: async () => undefined,
  };
}

/** Folders of a set of file paths, parents first. */
function foldersOf(paths: Iterable<string>): string[] {
  const folders = new Set<string>();
  for (const p of paths) {
    const parts = p.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  return [...folders].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

async function seedThroughPut(dav: Dav, files: ReadonlyMap<string, string>): Promise<void> {
  for (const f of foldersOf(files.keys())) await dav.mkdirs(f);
  await pool([...files], 4, ([path, content]) => dav.put(path, content));
}

/**
 * Seeds many files the fast way on a kit: writes them into the user's data folder, gives them to
 * www-data, and lets the server index them (`occ files:scan` of the top folders only).
 */
async function seedThroughWorkdir(workdir: string, user: string, files: ReadonlyMap<string, string>): Promise<void> {
  const root = join(workdir, 'data', user, 'files');
  if (!existsSync(root)) throw new Error(`${root} does not exist: is ${workdir} the kit's workdir?`);
  const owner = statSync(root);
  const made = new Set<string>();
  for (const [path, content] of files) {
    const full = join(root, path);
    const dir = full.slice(0, full.lastIndexOf('/'));
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(full, content);
  }
  const tops = new Set([...files.keys()].map((p) => p.split('/').filter(Boolean)[0]!));
  const chownTree = (p: string) => {
    chownSync(p, owner.uid, owner.gid);
    if (statSync(p).isDirectory()) for (const c of readdirSync(p)) chownTree(join(p, c));
  };
  for (const top of tops) {
    chownTree(join(root, top));
    const scan = spawnSync(join(workdir, 'occ'), ['files:scan', `--path=/${user}/files/${top}`], {
      encoding: 'utf8',
      timeout: 15 * 60_000,
    });
    if (scan.status !== 0)
      throw new Error(`occ files:scan /${user}/files/${top} failed (${scan.status}): ${scan.stderr || scan.stdout}`);
  }
}

/**
 * One of Salvage's own test servers as a target: the same scenarios, against the server the other
 * tests use. Its transport is SALVAGE_TEST_TRANSPORT when set, else PHP's (Connection: close,
 * bodies ended by the close), as the kits answer.
 */
export async function testServerTarget(kind: ServerKind): Promise<Target> {
  const env = transportFromEnv();
  const transport: TransportSetting = Object.keys(env).length ? env : 'php';
  const server: WebDavServer = await startWebDavServer({
    kind,
    transport,
    seed: (tree: FileTree) => seedTestState(tree),
  });
  const user = WEBDAV_USERS.alice;
  const dav = new Dav(server.url, user.id, user.appPassword, kind);
  return {
    label: `${kind === 'nextcloud' ? 'Nextcloud' : 'ownCloud 10'} (test server)`,
    kind,
    real: false,
    url: server.url,
    user: user.id,
    password: user.appPassword,
    dav,
    workdir: null,
    seed: async (files) => {
      for (const [path, content] of files) server.tree.writeFile(user.id, path, 0, { parents: true, content });
    },
    close: () => server.close(),
  };
}
