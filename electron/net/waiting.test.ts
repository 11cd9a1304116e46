import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { onSlowRequest, slowText, type SlowRequest } from './waiting';

describe('slow-request reports', () => {
  it(
    'reach the main thread from a worker thread (the listing worker sends its own PROPFINDs)',
    { timeout: 30_000 },
    async () => {
      const reports: SlowRequest[] = [];
      let heard!: () => void;
      const first = new Promise<void>((r) => (heard = r));
      const stop = onSlowRequest((s) => {
        if (s.host !== 'worker.example:81') return;
        reports.push(s);
        heard();
      });
      // The worker runs waiting.ts from source, as the listing worker does under tsx.
      let api = createRequire(import.meta.url).resolve('tsx/esm/api');
      if (api.endsWith('.cjs') && existsSync(api.replace(/\.cjs$/, '.mjs'))) api = api.replace(/\.cjs$/, '.mjs');
      const waiting = new URL('./waiting.ts', import.meta.url).href;
      const worker = new Worker(
        `import(${JSON.stringify(pathToFileURL(api).href)}).then((m) => { m.register(); return import(${JSON.stringify(waiting)}); })
        .then((w) => { w.watchRequest('http://worker.example:81/trash', 'PROPFIND', 30000, () => 12000); setInterval(() => {}, 1000); });`,
        { eval: true },
      );
      try {
        await first;
        expect(reports[0]).toMatchObject({
          host: 'worker.example:81',
          method: 'PROPFIND',
          waitedMs: 12_000,
          timeoutMs: 30_000,
        });
        expect(slowText(reports[0]!)).toBe('Still waiting for worker.example:81 (12 s of 30 s)…');
      } finally {
        stop();
        await worker.terminate();
      }
    },
  );
});
