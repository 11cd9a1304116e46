import { queryOptions } from '@tanstack/react-query';
import { call } from '../api/client';

export const appQueries = {
  info: () => queryOptions({ queryKey: ['app', 'info'], queryFn: () => call('app:info', {}), staleTime: Infinity }),
};

export const accountQueries = {
  all: () => queryOptions({ queryKey: ['accounts'], queryFn: () => call('accounts:list', {}) }),
};
