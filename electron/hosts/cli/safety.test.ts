import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../base/errors';
import { createMemoryServices } from '../../services/index';
import { CliJournal } from './batches';
import type { Context } from './context';
import { Out } from './output';
import { crashReport, describeCrash } from './safety';

/** The safety net's words (the whole path, with a batch, is run in a real process by resume.test.ts). */
describe('the command line safety net', () => {
  it('names an escaped error by its name, code and message, never its stack, and cut short', () => {
    const e = Object.assign(new Error('assert(!this.paused)'), { name: 'AssertionError', code: 'ERR_ASSERTION' });
    expect(describeCrash(e)).toBe('AssertionError [ERR_ASSERTION]: assert(!this.paused)');
    expect(describeCrash(new AppError('NETWORK', 'Cannot reach x.'))).toBe('Cannot reach x. (NETWORK)');
    expect(describeCrash('a string')).toBe('a string');
    expect(describeCrash(new Error('x'.repeat(5_000))).length).toBeLessThan(1_100);
  });

  it("outside a batch: one line with the reason (a sentence, or a JSON error with --json), exit 1; the command's own output stops", async () => {
    for (const json of [false, true]) {
      const out = new PassThrough();
      const err = new PassThrough();
      let said = '';
      err.on('data', (d: Buffer) => (said += d.toString()));
      const ctx: Context = {
        services: createMemoryServices(),
        out: new Out(out),
        err: new Out(err),
        json,
        env: {},
        journal: new CliJournal(null, () => {}),
      };
      const code = await crashReport(
        ctx,
        Object.assign(new TypeError("Cannot read properties of undefined (reading 'x')"), {}),
      );
      expect(code).toBe(1);
      const message =
        "Salvage stopped on an unexpected error: TypeError: Cannot read properties of undefined (reading 'x')";
      expect(said).toBe(
        json ? `${JSON.stringify({ error: { code: 'INTERNAL', message } })}\n` : `salvage: ${message}\n`,
      );
      // Whatever the command still had to print is dropped: the report took its place.
      await ctx.out.line('late output');
      expect(out.read()).toBeNull();
    }
  });
});
