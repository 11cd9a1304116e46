import { startDocSpaceServer, TEST_KEYS } from '../e2e/servers/docspace/index';
import { DocSpaceApi } from '../electron/providers/docspace/api';
import { readPages } from '../electron/providers/docspace/pages';
import { DocSpaceProvider } from '../electron/providers/docspace/provider';
import { defaultHttpOptions } from '../electron/providers/http';
import type { Bench } from './harness';

/**
 * Reading a 100,000-item DocSpace trash (1,000 pages of 100) at 20 ms per request: one page after
 * another (what a naive client does) against Salvage's listing, which fetches the rest eight at a
 * time once the first page gives the total.
 */
const bench: Bench = async () => {
  const server = await startDocSpaceServer({ latencyMs: 20 });
  try {
    server.control.seed('alice', 100_000 - server.state.trashOf('alice').length);
    const account = { id: 'bench', kind: 'docspace' as const, label: 'bench', serverUrl: server.url, user: '', userId: '', userName: '', demo: false };

    let t = performance.now();
    let sequential = 0;
    const api = new DocSpaceApi(server.url, TEST_KEYS.alice, defaultHttpOptions);
    for await (const page of readPages(api, 'files/@trash', {}, undefined, { concurrency: 1 })) sequential += page.entries.length;
    const sequentialMs = performance.now() - t;

    t = performance.now();
    let concurrent = 0;
    let firstMs = 0;
    const provider = new DocSpaceProvider(account, { user: '', secret: TEST_KEYS.alice });
    for await (const chunk of provider.listTrash(null)) {
      if (concurrent === 0) firstMs = performance.now() - t;
      concurrent += chunk.items.length;
    }
    const concurrentMs = performance.now() - t;
    if (sequential !== 100_000 || concurrent !== 100_000) throw new Error(`listing lost items: ${sequential} / ${concurrent}`);

    return [
      {
        bench: 'docspace-listing',
        measure: '100k trash items, 1,000 pages at 20 ms',
        unit: 's',
        baseline: sequentialMs / 1000,
        baselineLabel: 'one page at a time',
        candidate: concurrentMs / 1000,
        candidateLabel: '8 pages at a time',
        target: 4,
      },
      {
        bench: 'docspace-listing',
        measure: 'first items on screen',
        unit: 's',
        baseline: sequentialMs / 1000,
        baselineLabel: 'whole listing first',
        candidate: firstMs / 1000,
        candidateLabel: 'first page',
        target: 0.5,
      },
    ];
  } finally {
    await server.close();
  }
};

export default bench;
