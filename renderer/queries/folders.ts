import { queryOptions } from '@tanstack/react-query';
import { call } from '../api/client';

export const folderQueries = {
  all: (accountId: string) => ['folders', accountId] as const,
  /** One level of the live files tree (root when parentId is null), with breadcrumbs. */
  list: (accountId: string, parentId: string | null) =>
    queryOptions({
      queryKey: ['folders', accountId, parentId ?? ''] as const,
      queryFn: () => call('folders:list', { accountId, parentId }),
      staleTime: 30_000,
    }),
};
