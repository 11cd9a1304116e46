import { createDispatcher } from '../electron/services/dispatcher';
import type { TrashItem } from '../shared/model';
import type { Bench } from './harness';

/** What the contract costs: validating a 1,000-item trash page on its way out of main, vs sending it unchecked. */
const bench: Bench = async () => {
  const items: TrashItem[] = Array.from({ length: 1000 }, (_, i) => ({
    key: `acc:${i}`,
    accountId: 'acc',
    id: String(i),
    name: `Quarterly report ${i}.docx`,
    kind: 'file',
    size: 123_456,
    deletedAt: '2026-11-01T10:00:00.000Z',
    originalFolder: '/Documents/Reports',
    originalFolderId: '/Documents/Reports',
    expiresAt: null,
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ext: 'docx',
    deletedBy: null,
    parentId: null,
  }));
  const page = { items, cursor: 'c', total: 100_000 };
  const dispatch = createDispatcher({
    handlers: { 'trash:list': async () => page } as never,
    isTrustedCaller: () => true,
  });
  const runs = 100;
  let t = performance.now();
  for (let i = 0; i < runs; i++) JSON.stringify(page);
  const raw = (performance.now() - t) / runs;
  t = performance.now();
  for (let i = 0; i < runs; i++)
    JSON.stringify(
      await dispatch(
        'trash:list',
        { accountId: 'acc', parentId: null, cursor: null },
        { frameUrl: null, isMainFrame: true },
      ),
    );
  const checked = (performance.now() - t) / runs;
  return [
    {
      bench: 'contract',
      measure: 'one 1,000-item page through main',
      unit: 'ms',
      baseline: raw,
      baselineLabel: 'JSON only',
      candidate: checked,
      candidateLabel: 'validated + JSON',
      target: 50,
    },
  ];
};
export default bench;
