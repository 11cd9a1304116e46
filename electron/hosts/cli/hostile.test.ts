import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDocSpaceServer, TEST_KEYS, type DocSpaceServer } from '../../demo/servers/docspace/index';
import { seedTestPortal } from '../../demo/servers/docspace/seed';
import { jsonLines, runMain } from './run-cli';

/**
 * Text a server sent never drives the terminal: a DocSpace portal (JSON can carry any character)
 * names trashed files with escape sequences, a forged second line and a right-to-left override,
 * and answers a restore with a 36 KB error message full of escapes. Plain output shows none of
 * it raw and stays short; --json gives the names back exact.
 */

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const EVIL = [
  'evil\u001b]0;pwned\u0007\u001b[2J.txt',
  'two\nrestored  /etc/passwd.txt',
  'invoice_\u202Etxt.exe',
  'bell\u0007\u0000\u009b31m.txt',
];

describe('the command line and a hostile server', () => {
  let server: DocSpaceServer;
  const base = () => ['--server', server.url, '--kind', 'docspace'];
  const env = { SALVAGE_TOKEN: TEST_KEYS.alice };

  beforeAll(async () => {
    server = await startDocSpaceServer({
      opItemMs: 1,
      seed: (state) => {
        seedTestPortal(state);
        const now = state.tree.now();
        // DocSpace titles are kept apart from the tree's names (which refuse '/' and NUL).
        for (const [i, name] of EVIL.entries())
          state.m(
            state.addTrashed('alice', state.myRoot('alice'), `evil-${i}.txt`, 'file', 10 + i, now - 60_000 * (i + 1))
              .id,
          ).title = name;
      },
    });
  });
  afterAll(() => server.close());

  it('list: plain lines hold no control or bidi character and no forged line; --json gives the names back exact', async () => {
    const plain = await runMain(['list', ...base()], env);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toMatch(UNSAFE);
    // Escape sequences are removed whole; other controls show as '?'.
    expect(plain.stdout).toContain('/evil.txt');
    expect(plain.stdout).toContain('/bell??.txt');
    expect(plain.stdout).toContain('two?restored  /etc/passwd.txt');
    expect(plain.stdout.split('\n').filter((l) => l.startsWith('restored'))).toEqual([]);
    const json = await runMain(['list', '--json', ...base()], env);
    expect(json.stdout).not.toMatch(UNSAFE);
    const names = jsonLines(json.stdout).map((i) => i.name);
    for (const name of EVIL) expect(names).toContain(name);
  });

  it('a 36 KB error message full of escapes is shown clean and cut, in both modes', async () => {
    const items = jsonLines((await runMain(['list', '--json', ...base()], env)).stdout);
    const evil = items.find((i) => i.name === EVIL[0])!;
    // As large as an error answer Salvage reads gets (net/http.ts cuts error bodies at 64 KiB; what is past that is
    // never read).
    const huge = `Denied \u001b]0;owned\u0007${'\u001b[31mred '.repeat(4_000)}`;
    for (const json of [false, true]) {
      server.control.fault({
        method: 'PUT',
        path: '/api/2.0/files/fileops/move',
        status: 403,
        body: JSON.stringify({ error: { message: huge }, status: 1, statusCode: 403 }),
        headers: { 'Content-Type': 'application/json' },
      });
      const r = await runMain(['restore', String(evil.id), ...base(), ...(json ? ['--json'] : [])], env);
      server.control.clearFaults();
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).not.toMatch(UNSAFE);
      for (const line of `${r.stdout}${r.stderr}`.split('\n')) expect(line.length).toBeLessThan(2_500);
      expect(r.stdout + r.stderr).toContain('more characters)');
      // The reason still ends with its code.
      if (json) expect(jsonLines(r.stderr).at(-1)).toMatchObject({ error: { code: 'FORBIDDEN' } });
      else expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^salvage: .*more characters\) \(FORBIDDEN\)$/);
    }
  });
});
