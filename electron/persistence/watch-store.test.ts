import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileWatchStore } from './watch-store';

describe('watch.json', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'salvage-watch-store-'));

  it('keeps the settings from one session to the next, readable only by the user', () => {
    const d = dir();
    const file = join(d, 'watch.json');
    const a = new FileWatchStore(file);
    expect(a.load()).toEqual({ intervalMinutes: 5, accounts: {} });
    a.save({
      intervalMinutes: 15,
      accounts: { acc1: { enabled: false, checkedAt: 1_700_000_000_000, announced: ['ev-0000abcd'] } },
    });
    expect(new FileWatchStore(file).load()).toEqual({
      intervalMinutes: 15,
      accounts: { acc1: { enabled: false, checkedAt: 1_700_000_000_000, announced: ['ev-0000abcd'] } },
    });
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('a damaged file is moved aside, said once, and the defaults used', () => {
    for (const text of [
      '{not json',
      '{"version":1,"intervalMinutes":0,"accounts":{}}',
      '{"version":9,"intervalMinutes":5,"accounts":{}}',
    ]) {
      const d = dir();
      const file = join(d, 'watch.json');
      writeFileSync(file, text);
      const store = new FileWatchStore(file);
      expect(store.load()).toEqual({ intervalMinutes: 5, accounts: {} });
      expect(store.notices()).toEqual([
        expect.objectContaining({ level: 'warning', message: expect.stringContaining('moved aside') }),
      ]);
      const aside = readdirSync(d).filter((f) => f.startsWith('watch.json.corrupt-'));
      expect(aside).toHaveLength(1);
      expect(readFileSync(join(d, aside[0]!), 'utf8')).toBe(text);
    }
  });
});
