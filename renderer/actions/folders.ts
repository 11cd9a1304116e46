import { useMutation } from '@tanstack/react-query';
import type { FolderRef } from '../../shared/model';
import { keys } from '../queries/keys';
import { useActionContext } from './context';

/**
 * Creates a folder in the live files tree; every cached level of that account's tree reloads before `onCreated` runs.
 */
export function useCreateFolder(accountId: string, onCreated: (folder: FolderRef) => void) {
  const { api, client } = useActionContext();
  return useMutation({
    mutationFn: (f: { parentId: string; name: string }) =>
      api('folders:create', { accountId, parentId: f.parentId, name: f.name }),
    onSuccess: async (created) => {
      await client.invalidateQueries({ queryKey: keys.foldersOf(accountId) });
      onCreated(created);
    },
  });
}
