import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../../electron/demo/servers/control';
import { runMain } from '../../electron/hosts/cli/run-cli';
import { defaultHttpOptions } from '../../electron/net/http';
import { createMemoryServices } from '../../electron/services/index';
import { ERROR_CODES } from '../../shared/errors';
import type { AccountKind } from '../../shared/model';
import { NAMES, startFaultServer, type FaultServer, type Op } from './servers';

/**
 * Nothing silent, from the command line: every command against every server kind, with a fault
 * on the request it depends on, in plain and --json mode. Whatever happens, the command ends
 * either with exit 0 having done what was asked, or with a reason said last: with --json one
 * object {"error": {code, message}} on stderr, else a sentence "salvage: … (CODE)" (plain text is
 * checked after four of the faults: the same code prints the reason in both modes); and every
 * item the command was about has its own line. (The known hole: `empty --yes --json` on a trash
 * answered truncated, malformed or as an HTML page exited 1 and printed nothing at all.)
 * Nothing a server sent reaches the terminal as a control character.
 */

type FaultSpec = Omit<Fault, 'method' | 'path'>;
const FAULTS: Record<string, FaultSpec> = {
  '500 server error': { status: 500, faithful: true },
  '401 (sign-in expired)': { status: 401, faithful: true },
  '404 (already gone)': { status: 404, faithful: true },
  '423 (locked)': { status: 423, faithful: true },
  'reset before acting': { kind: 'reset' },
  'reset after acting': { kind: 'reset', after: true },
  'truncated body': { kind: 'truncate' },
  'malformed body': { kind: 'malformed' },
  'HTML login page': { kind: 'login-page' },
};

/** A command, and the request (of the fault matrix's targets) its fault hits. */
interface Command {
  name: string;
  target: Op;
  /** How many items the command is about (each must get a line): a number, the whole trash, or null for a listing. */
  items: number | 'trash' | null;
  args(ids: Ids): string[];
}
interface Ids {
  alpha: string;
  beta: string;
  box: string;
  dest: string;
  /** Items at the top of the trash. */
  count: number;
}
const COMMANDS: Command[] = [
  { name: 'list', target: 'list', items: null, args: () => ['list'] },
  {
    name: 'list --parent',
    target: 'list inside a trashed folder',
    items: null,
    args: (i) => ['list', '--parent', i.box],
  },
  { name: 'events', target: 'list', items: null, args: () => ['events'] },
  {
    name: 'restore',
    target: 'restore',
    items: 2,
    args: (i) => ['restore', i.alpha, i.beta, '--on-conflict', 'keep-both'],
  },
  {
    name: 'restore --to',
    target: 'restore to a folder',
    items: 2,
    args: (i) => ['restore', i.alpha, i.beta, '--to', i.dest, '--on-conflict', 'keep-both'],
  },
  { name: 'restore (trash unreadable)', target: 'list', items: null, args: (i) => ['restore', i.alpha, i.beta] },
  { name: 'delete', target: 'delete', items: 2, args: (i) => ['delete', i.alpha, i.beta] },
  { name: 'empty', target: 'empty', items: 'trash', args: () => ['empty', '--yes'] },
  { name: 'empty (trash unreadable)', target: 'list', items: null, args: () => ['empty', '--yes'] },
];
const PLAIN_TOO = new Set(['500 server error', 'reset after acting', 'truncated body', 'HTML login page']);
const KINDS: AccountKind[] = ['nextcloud', 'owncloud10', 'ocis', 'docspace'];
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

// Requests give up after 1.5 s, and a pause a server or a back-off asks for lasts at most 20 ms
// (what the command does after it is the same, sooner). (Every command signs a new account in, each
// with its own listing worker: the one the run built, scripts/vitest/globalSetup.ts.)
const saved = { ...defaultHttpOptions };
beforeAll(() => {
  defaultHttpOptions.timeoutMs = 1_500;
  defaultHttpOptions.pauseCapMs = 20;
});
afterAll(() => {
  defaultHttpOptions.timeoutMs = saved.timeoutMs;
  defaultHttpOptions.pauseCapMs = saved.pauseCapMs;
});

/** The last thing said on stderr, when the command did not do what was asked, is its reason. */
function reasonOf(stderr: string, json: boolean): { code: string; message: string } | null {
  const last = stderr.trim().split('\n').at(-1) ?? '';
  if (json) {
    try {
      const error = (JSON.parse(last) as { error?: { code?: unknown; message?: unknown } }).error;
      return typeof error?.code === 'string' && typeof error.message === 'string'
        ? { code: error.code, message: error.message }
        : null;
    } catch {
      return null;
    }
  }
  const m = /^salvage: (.+) \(([A-Z_]+)\)$/.exec(last);
  return m ? { code: m[2]!, message: m[1]! } : null;
}

// The four kinds run side by side, each on its own server with its own data folder (batch
// journals, the moves ledger); the commands of one kind run one after another on its server.
for (const kind of KINDS) {
  describe.concurrent(`the command line against a failing ${kind} server says why, every time`, () => {
    let server: FaultServer;
    let dataDir = '';
    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), `salvage-cli-faults-${kind}-`));
      server = await startFaultServer(kind);
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const services = createMemoryServices();
    let accountId: string | null = null;
    const idsNow = async (): Promise<Ids> => {
      accountId ??= (
        await services.accounts.add({
          serverUrl: server.url,
          kind,
          user: server.user || undefined,
          secret: server.secret,
          sessionOnly: true,
        })
      ).id;
      const top = await services.trash.readAll(accountId, null);
      const id = (name: string) => top.find((i) => i.name === name)!.id;
      return { alpha: id(NAMES[0]), beta: id(NAMES[1]), box: id('Box'), dest: server.destId(), count: top.length };
    };
    const base = () => ['--server', server.url, '--kind', kind, ...(server.user ? ['--user', server.user] : [])];
    const env = (): Record<string, string> => ({
      SALVAGE_DATA_DIR: dataDir,
      ...(kind === 'docspace' ? { SALVAGE_TOKEN: server.secret } : { SALVAGE_PASSWORD: server.secret }),
    });

    /**
     * How many requests of a target signing in makes (WebDAV reads the trash root to sign in): the fault skips those.
     */
    const signInHits = async (target: Op): Promise<number> => {
      server.control.reset();
      const counter = server.control.fault({ ...server.target(target), nth: Number.MAX_SAFE_INTEGER });
      await runMain(['folders', ...base(), '--json'], env());
      server.control.clearFaults();
      return counter.passed;
    };

    for (const command of COMMANDS) {
      it.sequential(
        `${command.name}: every fault ends with exit 0 or a reason, in both modes`,
        async () => {
          const problems: string[] = [];
          let cells = 0;
          const nth = (await signInHits(command.target)) + 1;
          for (const [faultName, fault] of Object.entries(FAULTS)) {
            // --json after every fault; plain text after a few (the reason is printed by the same code in both).
            for (const json of PLAIN_TOO.has(faultName) ? [false, true] : [true]) {
              server.control.reset();
              const ids = await idsNow();
              const handle = server.control.fault({ ...fault, ...server.target(command.target), nth });
              const r = await runMain([...command.args(ids), ...base(), ...(json ? ['--json'] : [])], env());
              server.control.clearFaults();
              const cell = `${faultName}${json ? ' --json' : ''}`;
              cells++;
              if (handle.hits === 0) problems.push(`${cell}: the fault never fired`);
              if (CONTROL.test(r.stdout) || CONTROL.test(r.stderr))
                problems.push(`${cell}: a control character reached the terminal`);
              if (![0, 1, 2].includes(r.code)) problems.push(`${cell}: exit ${r.code}`);
              if (r.code !== 0) {
                const reason = reasonOf(r.stderr, json);
                if (!reason || !(ERROR_CODES as readonly string[]).includes(reason.code) || !reason.message.trim()) {
                  problems.push(
                    `${cell}: exit ${r.code} without a reason last on stderr: ${JSON.stringify(r.stderr.slice(-300))} (stdout ${JSON.stringify(r.stdout.slice(-200))})`,
                  );
                }
              }
              if (command.items !== null && json) {
                // The batch ran: one line per item, each with an outcome (and a reason when not done); or it stopped
                // before, saying why.
                const lines = r.stdout.split('\n').filter((l) => l.trim());
                const results = lines.map(
                  (l) => JSON.parse(l) as { outcome?: string; error?: { code?: string } | null },
                );
                const expected = command.items === 'trash' ? ids.count : command.items;
                if (results.length !== expected && !(results.length === 0 && r.code !== 0))
                  problems.push(`${cell}: ${results.length} item lines for ${expected} items`);
                for (const x of results)
                  if ((x.outcome === 'failed' || x.outcome === 'cancelled') && !x.error?.code)
                    problems.push(`${cell}: an item ${x.outcome} without a reason`);
              }
            }
          }
          expect(problems, `${problems.length} of ${cells} cells`).toEqual([]);
        },
        180_000,
      );
    }
  });
}
