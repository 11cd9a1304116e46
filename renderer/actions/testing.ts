import { QueryClient } from '@tanstack/react-query';
import type { Channel, Request, Response } from '../../shared/contract';
import type { AccountView, Conflict, OperationView, TrashItem } from '../../shared/model';
import type { ActionContext, Api } from './context';

/** Test support for the actions: a fake api, and model values to feed it. Only tests import this file. */

/** What a fake channel does: answer, or throw to fail the call. */
type Handler<C extends Channel> = (payload: Request<C>) => Response<C> | Promise<Response<C>>;
export type Handlers = { [C in Channel]?: Handler<C> };

/**
 * An action context for tests: a fresh QueryClient and an api that answers from `handlers` and
 * records every call in order. A channel without a handler fails the test loudly.
 */
export function fakeContext(handlers: Handlers) {
  const calls: { channel: Channel; payload: unknown }[] = [];
  const api = (async (channel: Channel, payload: unknown) => {
    calls.push({ channel, payload });
    const handler = handlers[channel] as ((p: unknown) => unknown) | undefined;
    if (!handler) throw new Error(`unexpected call: ${channel}`);
    return handler(payload);
  }) as Api;
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const ctx: ActionContext = { api, client };
  return { ctx, calls, client, channels: () => calls.map((c) => c.channel) };
}

export const trashItem = (accountId: string, name: string, extra: Partial<TrashItem> = {}): TrashItem => ({
  key: `${accountId}:${name}`,
  accountId,
  id: name,
  name,
  kind: 'file',
  size: 100,
  deletedAt: '2026-06-10T10:00:00Z',
  originalFolder: '/Documents',
  originalFolderId: null,
  expiresAt: null,
  mimeType: null,
  ext: 'txt',
  deletedBy: null,
  parentId: null,
  ...extra,
});

export const account = (id: string, extra: Partial<AccountView> = {}): AccountView => ({
  id,
  kind: 'nextcloud',
  label: `Account ${id}`,
  serverUrl: `https://${id}.example`,
  userName: 'alice',
  status: 'ok',
  secretStorage: 'encrypted',
  demo: false,
  insecureHttp: false,
  ...extra,
});

export const operation = (id: string, extra: Partial<OperationView> = {}): OperationView => ({
  id,
  kind: 'restore',
  title: `Operation ${id}`,
  accountIds: ['a'],
  state: 'queued',
  total: 1,
  done: 0,
  bytesTotal: 0,
  bytesDone: 0,
  current: null,
  results: [],
  question: null,
  error: null,
  startedAt: '2026-06-10T10:00:00Z',
  finishedAt: null,
  undoable: false,
  undoNote: null,
  resumable: false,
  rate: null,
  secondsLeft: null,
  ...extra,
});

export const conflict = (item: TrashItem, extra: Partial<Conflict> = {}): Conflict => ({
  itemKey: item.key,
  name: item.name,
  targetPath: `${item.originalFolder}/${item.name}`,
  source: 'existing',
  otherKey: null,
  trashed: { size: item.size, deletedAt: item.deletedAt, kind: item.kind },
  existing: { size: 50, modifiedAt: '2026-06-11T10:00:00Z', kind: 'file' },
  canReplace: true,
  note: null,
  ...extra,
});
