import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { followAccounts } from './accounts';
import { followOperations } from './operations';
import { followWatch } from './watch';

/** Keeps the cache live from main's events (operations, accounts) for as long as the window is open. */
export function useLiveCache() {
  const client = useQueryClient();
  useEffect(() => followOperations(client), [client]);
  useEffect(() => followAccounts(client), [client]);
  useEffect(() => followWatch(client), [client]);
}
