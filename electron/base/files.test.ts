import * as fs from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moveAside, readIfExists, writeFileAtomic, type AtomicFs } from './files';

describe('writeFileAtomic', () => {
  it('keeps the old content when writing the new one fails midway, and cleans up its temp file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'salvage-atomic-'));
    const file = join(dir, 'accounts.json');
    writeFileAtomic(file, 'old');
    const failing: AtomicFs = {
      ...fs,
      writeSync: () => {
        throw Object.assign(new Error('no space left'), { code: 'ENOSPC' });
      },
    };
    expect(() => writeFileAtomic(file, 'new', failing)).toThrow(/no space/);
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['accounts.json']);
  });

  it('keeps the old content when the rename fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'salvage-atomic-'));
    const file = join(dir, 'a.json');
    writeFileAtomic(file, 'old');
    const failing: AtomicFs = {
      ...fs,
      renameSync: () => {
        throw new Error('EXDEV');
      },
    };
    expect(() => writeFileAtomic(file, 'new', failing)).toThrow();
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });
});

describe('moveAside and readIfExists', () => {
  it('renames the file with a reason and a timestamp, never deleting it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'salvage-aside-'));
    const file = join(dir, 'accounts.json');
    writeFileSync(file, 'garbage');
    const where = moveAside(file, 'corrupt', new Date('2026-01-02T03:04:05.678Z'));
    expect(where).toBe(`${file}.corrupt-2026-01-02T03-04-05-678Z`);
    expect(readFileSync(where!, 'utf8')).toBe('garbage');
    expect(readIfExists(file)).toBeNull();
  });
});
