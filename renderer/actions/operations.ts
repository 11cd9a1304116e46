import { useMutation } from '@tanstack/react-query';
import type { Destination, Resolution, TrashItem } from '../../shared/model';
import { errorText } from '../lib/errorText';
import { dropOp, rememberOpItems, upsertOp } from '../queries/operations';
import { useActionContext, type ActionContext } from './context';

/**
 * Every batch the renderer starts or steers (restore, delete, empty, cancel, retry, undo, answer,
 * dismiss). Each one calls main and puts the batch's new picture into the operations cache at
 * once; followOperations (queries/operations) keeps it live from there.
 */

/** Items as main names them; one inside a trashed folder carries that folder's id too. */
const refs = (items: readonly TrashItem[]) =>
  items.map((i) =>
    i.parentId ? { accountId: i.accountId, id: i.id, parentId: i.parentId } : { accountId: i.accountId, id: i.id },
  );

export async function startRestore(
  ctx: ActionContext,
  items: readonly TrashItem[],
  destination: Destination,
  resolutions: Record<string, Resolution> = {},
) {
  const op = await ctx.api('ops:restore', {
    items: refs(items),
    destination,
    resolutions,
    recreateMissingFolders: true,
  });
  rememberOpItems(
    ctx.client,
    op.id,
    items.map((i) => i.key),
  );
  upsertOp(ctx.client, op);
  return op;
}

/** What a restore would run into: names taken at the destination, and original folders that are gone. */
export const checkRestore = (ctx: ActionContext, items: readonly TrashItem[], destination: Destination) =>
  ctx.api('ops:checkConflicts', { items: refs(items), destination });

export async function deleteForGood(ctx: ActionContext, items: readonly TrashItem[]) {
  const op = await ctx.api('ops:delete', { items: refs(items) });
  rememberOpItems(
    ctx.client,
    op.id,
    items.map((i) => i.key),
  );
  upsertOp(ctx.client, op);
  return op;
}

/**
 * Empties each account's trash in turn. One account failing does not stop the others; the error
 * thrown at the end names every account that failed, with the first reason.
 */
export async function emptyTrash(
  ctx: ActionContext,
  accountIds: readonly string[],
  labelOf: (accountId: string) => string,
) {
  const failed: string[] = [];
  let firstError: unknown = null;
  for (const accountId of accountIds) {
    try {
      upsertOp(ctx.client, await ctx.api('ops:empty', { accountId }));
    } catch (e) {
      failed.push(labelOf(accountId));
      firstError ??= e;
    }
  }
  if (failed.length) throw new Error(`Could not empty the trash of ${failed.join(', ')}: ${errorText(firstError)}`);
}

type Command = 'ops:cancel' | 'ops:retryFailed' | 'ops:undo' | 'ops:moveToListed';

/** Cancel, retry the failed items of, or undo one batch. */
export async function steer(ctx: ActionContext, command: Command, operationId: string) {
  const op = await ctx.api(command, { operationId });
  upsertOp(ctx.client, op);
  return op;
}

/** Answers the question a running batch waits on (a conflict found mid-way). */
export async function answer(ctx: ActionContext, operationId: string, resolution: Resolution, applyToAll: boolean) {
  const op = await ctx.api('ops:answer', { operationId, resolution, applyToAll });
  upsertOp(ctx.client, op);
  return op;
}

/** Takes a finished batch off the list, in main and here. */
export async function dismiss(ctx: ActionContext, operationId: string) {
  await ctx.api('ops:dismiss', { operationId });
  dropOp(ctx.client, operationId);
}

/** "Clear finished": takes every finished batch in `operationIds` off the list, one after another. */
export function useClearFinished() {
  const ctx = useActionContext();
  return useMutation({
    mutationFn: async (operationIds: readonly string[]) => {
      for (const id of operationIds) await dismiss(ctx, id);
    },
  });
}

/** Undo of one restore, for the toast; `onDone` runs once main has taken it. */
export function useUndo(operationId: string, onDone?: () => void) {
  const ctx = useActionContext();
  return useMutation({ mutationFn: () => steer(ctx, 'ops:undo', operationId), onSuccess: () => onDone?.() });
}

/** The buttons of one operation card, each with its own pending and error state. */
export function useOperationCommands(operationId: string) {
  const ctx = useActionContext();
  return {
    cancel: useMutation({ mutationFn: () => steer(ctx, 'ops:cancel', operationId) }),
    retry: useMutation({ mutationFn: () => steer(ctx, 'ops:retryFailed', operationId) }),
    /**
     * Items the server restored elsewhere than its records say they belong (same-named files deleted in one second):
     * move them there.
     */
    moveToListed: useMutation({ mutationFn: () => steer(ctx, 'ops:moveToListed', operationId) }),
    undo: useUndo(operationId),
    dismiss: useMutation({ mutationFn: () => dismiss(ctx, operationId) }),
  };
}

/** Answering, or stopping, the batch whose question is on screen. */
export function useQuestionAnswers() {
  const ctx = useActionContext();
  return {
    answer: useMutation({
      mutationFn: (a: { operationId: string; resolution: Resolution; applyToAll: boolean }) =>
        answer(ctx, a.operationId, a.resolution, a.applyToAll),
    }),
    stop: useMutation({ mutationFn: (operationId: string) => steer(ctx, 'ops:cancel', operationId) }),
  };
}
