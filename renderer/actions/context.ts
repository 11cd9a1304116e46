import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { call } from '../api/client';

/** The typed call into main (renderer/api); tests pass a fake with the same shape. */
export type Api = typeof call;

/** What every action needs: the way to main, and the cache it keeps up to date. */
export interface ActionContext {
  api: Api;
  client: QueryClient;
}

/** The action context of the app: the real api and the app's QueryClient. */
export function useActionContext(): ActionContext {
  const client = useQueryClient();
  return useMemo(() => ({ api: call, client }), [client]);
}
