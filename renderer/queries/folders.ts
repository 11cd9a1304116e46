import { queryOptions } from '@tanstack/react-query';
import { call } from '../api/client';
import { keys } from './keys';

export const folderQueries = {
  /** One level of the live files tree (root when parentId is null), with breadcrumbs. */
  list: (accountId: string, parentId: string | null) =>
    queryOptions({
      queryKey: keys.folders(accountId, parentId),
      queryFn: () => call('folders:list', { accountId, parentId }),
      staleTime: 30_000,
    }),
};
