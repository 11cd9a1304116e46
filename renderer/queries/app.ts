import { queryOptions } from '@tanstack/react-query';
import { call } from '../api/client';
import { keys } from './keys';

export const appQueries = {
  info: () => queryOptions({ queryKey: keys.appInfo(), queryFn: () => call('app:info', {}), staleTime: Infinity }),
};
