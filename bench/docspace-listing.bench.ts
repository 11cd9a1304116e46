import { DocSpaceApi } from '../electron/providers/docspace/api';
import { parseReply, replies } from '../electron/providers/docspace/dto';
import { readPages } from '../electron/providers/docspace/pages';
import { DocSpaceProvider } from '../electron/providers/docspace/provider';
import { defaultHttpOptions } from '../electron/net/http';
import { startServerProcess, type Bench } from './harness';

/**
 * Reading a 100,000-item DocSpace trash (1,000 pages of 100) at 20 ms per request: one page after
 * another (what a naive client does) against Salvage's listing, which fetches the rest eight at a
 * time once the first page gives the total. And what checking answers at the edge costs: a
 * 1,000-entry page of the server's DTOs through its zod schema, next to JSON.parse of its text.
 */
const serverProcess = (latencyMs: number, seed: number) =>
  startServerProcess<{ url: string; key: string }>(
    new URL('../electron/demo/servers/docspace/serve.ts', import.meta.url),
    ['--latency', String(latencyMs), '--seed', String(seed), '--cache'],
  );

const bench: Bench = async () => {
  // The server runs in its own process so its CPU does not eat into the client's.
  const server = await serverProcess(20, 100_000 - 4);
  try {
    const account = {
      id: 'bench',
      kind: 'docspace' as const,
      label: 'bench',
      serverUrl: server.url,
      user: '',
      userId: '',
      userName: '',
      demo: false,
    };

    // Warm the server's rendered-page cache first so both runs measure the client and the latency.
    const api = new DocSpaceApi(server.url, server.key, defaultHttpOptions);
    for await (const page of readPages(api, 'files/@trash', {}, undefined, { concurrency: 16 })) void page;

    let t = performance.now();
    let sequential = 0;
    for await (const page of readPages(api, 'files/@trash', {}, undefined, { concurrency: 1 }))
      sequential += page.entries.length;
    const sequentialMs = performance.now() - t;

    t = performance.now();
    let concurrent = 0;
    let firstMs = 0;
    const provider = new DocSpaceProvider(account, { user: '', secret: server.key });
    for await (const chunk of provider.listTrash(null)) {
      if (concurrent === 0) firstMs = performance.now() - t;
      concurrent += chunk.items.length;
    }
    const concurrentMs = performance.now() - t;
    if (sequential !== 100_000 || concurrent !== 100_000)
      throw new Error(`listing lost items: ${sequential} / ${concurrent}`);

    const check = await pageCheckCost(server);

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
      {
        bench: 'docspace-listing',
        measure: 'check a 1,000-entry page (median)',
        unit: 'ms',
        baseline: check.jsonParseMs,
        baselineLabel: 'JSON.parse of its text',
        candidate: check.schemaMs,
        candidateLabel: 'zod schema',
        target: 2,
      },
    ];
  } finally {
    server.stop();
  }
};

/**
 * Median time to check a 1,000-entry folder-content page (ten of the server's pages made one), and to JSON.parse its
 * text.
 */
async function pageCheckCost(server: { url: string; key: string }): Promise<{ schemaMs: number; jsonParseMs: number }> {
  const files: unknown[] = [];
  for (let start = 0; files.length < 1000; start += 100) {
    const res = await fetch(`${server.url}/api/2.0/files/@trash?count=100&startIndex=${start}`, {
      headers: { Authorization: `Bearer ${server.key}` },
    });
    files.push(...((await res.json()) as { response: { files: unknown[] } }).response.files);
  }
  const text = JSON.stringify({ files: files.slice(0, 1000), folders: [], total: 1000, count: 1000, startIndex: 0 });
  const page: unknown = JSON.parse(text);
  const median = (fn: () => void) => {
    for (let i = 0; i < 20; i++) fn();
    const times: number[] = [];
    for (let i = 0; i < 101; i++) {
      const t = performance.now();
      fn();
      times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b)[50]!;
  };
  return {
    schemaMs: median(() => parseReply(replies.folderContent, page)),
    jsonParseMs: median(() => JSON.parse(text)),
  };
}

export default bench;
