import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runMain as runCli } from '../../hosts/cli/run-cli';
import { startDocSpaceServer, TEST_KEYS, type DocSpaceServer } from '../../demo/servers/docspace/index';

/** `npm run cli` with the API key in SALVAGE_TOKEN. */
const cli = (args: string[], token: string = TEST_KEYS.alice) => runCli(args, { SALVAGE_TOKEN: token });
const lines = jsonLines;

let server: DocSpaceServer;
beforeAll(async () => {
  server = await startDocSpaceServer({ opItemMs: 2 });
});
afterAll(async () => {
  await server.close();
});

describe('salvage command line against the DocSpace test server', () => {
  // Each step starts the command line anew (tsx over the sources): a few seconds each on a busy machine.
  it(
    "runs the sample's three steps: list the trash, restore one file to a folder, empty the trash",
    { timeout: 120_000 },
    async () => {
      const at = ['--server', server.url, '--json'];

      // 1. List (the kind is detected: no --kind given).
      const listed = await cli(['list', ...at]);
      expect(listed.stderr).toBe('');
      expect(listed.code).toBe(0);
      const items = lines(listed.stdout);
      expect(items.map((i) => i.name).sort()).toEqual([
        'Campaign brief.pdf',
        'Old project',
        'Q3 report.docx',
        'holiday.jpg',
      ]);
      const report = items.find((i) => i.name === 'Q3 report.docx')!;
      expect(report).toMatchObject({
        id: expect.stringMatching(/^file:\d+$/),
        originalFolder: 'My documents / Reports',
      });

      // Find the destination's id the way a user would: `folders`, then `folders <id>`.
      const top = lines((await cli(['folders', ...at])).stdout);
      const my = top.find((f) => f.name === 'My documents')!;
      const inMy = lines((await cli(['folders', String(my.id), ...at])).stdout);
      const target = inMy.find((f) => f.name === 'Photos')!;
      expect(target).toMatchObject({ canWrite: true });

      // 2. Restore one file to that folder.
      const restored = await cli(['restore', String(report.id), '--to', String(target.id), ...at]);
      expect(restored.code).toBe(0);
      expect(lines(restored.stdout)).toEqual([
        expect.objectContaining({
          name: 'Q3 report.docx',
          outcome: 'restored',
          finalPath: 'My documents / Photos / Q3 report.docx',
        }),
      ]);
      expect(server.state.childByTitle(Number(target.id), 'Q3 report.docx', 'file')).not.toBeNull();

      // 3. Empty the trash.
      const emptied = await cli(['empty', '--yes', ...at]);
      expect(emptied.code).toBe(0);
      const results = lines(emptied.stdout);
      expect(results.map((r) => r.name).sort()).toEqual(['Campaign brief.pdf', 'Old project', 'holiday.jpg']);
      expect(results.every((r) => r.outcome === 'deleted')).toBe(true);
      expect(server.state.trashOf('alice')).toHaveLength(0);
    },
  );

  it('exits 2 with AUTH_FAILED when the API key is rejected', { timeout: 60_000 }, async () => {
    const r = await cli(['list', '--server', server.url, '--kind', 'docspace'], 'sk-revoked');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('AUTH_FAILED');
  });
});
