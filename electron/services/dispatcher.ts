import { channels, isChannel, type Channel, type ParsedRequest, type Response } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { z } from 'zod';
import { toErrorValue } from '../base/errors';

/**
 * Items checked per turn of the event loop when a response carries a long `items` list (a
 * trash:list page of 5,000): one go over 5,000 items holds main for ~10 ms, longer on a busy machine.
 */
export const PARSE_SLICE = 1000;

/** Who is calling: the Electron frame (checked against the app's own origin) or the bridge (checked by token). */
export interface CallerInfo {
  /** URL of the calling frame, when known. */
  frameUrl: string | null;
  /** False for a sub-frame. */
  isMainFrame: boolean;
}

export type Handlers = {
  [C in Channel]: (request: ParsedRequest<C>) => Promise<Response<C>>;
};

export interface DispatcherOptions {
  handlers: Handlers;
  /** Decides whether a caller may use the API at all. */
  isTrustedCaller: (caller: CallerInfo) => boolean;
  onInternalError?: (channel: string, error: unknown) => void;
}

export type Dispatch = (channel: unknown, payload: unknown, caller: CallerInfo) => Promise<Result<unknown>>;

/**
 * The one entry point for every renderer call, registered on ipcMain and on the bridge alike:
 * check the caller, look up the channel, validate the payload, call the handler, and
 * return a Result. The response is parsed with its schema too, so fields that are not
 * in the contract (anything secret a service might hold) never leave main.
 */
export function createDispatcher({ handlers, isTrustedCaller, onInternalError }: DispatcherOptions): Dispatch {
  return async (channel, payload, caller) => {
    if (!isTrustedCaller(caller)) {
      return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'This caller may not use Salvage.' } };
    }
    if (!isChannel(channel)) {
      return {
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL', message: `Unknown channel: ${String(channel).slice(0, 80)}` },
      };
    }
    const schema = channels[channel];
    const parsed = schema.request.safeParse(payload ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      return {
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: `Invalid request for ${channel}${where}: ${issue?.message ?? 'bad payload'}`.slice(0, 500),
        },
      };
    }
    try {
      const handler = handlers[channel] as (req: unknown) => Promise<unknown>;
      const value = await handler(parsed.data);
      return { ok: true, value: await parseResponse(schema.response, value) };
    } catch (e) {
      const error = toErrorValue(e);
      if (error.code === 'INTERNAL') onInternalError?.(channel, e);
      return { ok: false, error };
    }
  };
}

/**
 * The response parsed with its schema. A long `items` array (a plain z.array with no checks of its
 * own) is parsed PARSE_SLICE items at a time with a turn of the event loop between slices, the
 * rest of the response as usual: the same checks and the same output, without one long task.
 */
export async function parseResponse(schema: z.ZodType, value: unknown): Promise<unknown> {
  const listed = schema instanceof z.ZodObject ? schema.shape.items : undefined;
  const items = (value as { items?: unknown } | null)?.items;
  if (
    !(listed instanceof z.ZodArray) ||
    listed._zod.def.checks?.length ||
    !Array.isArray(items) ||
    items.length <= PARSE_SLICE
  )
    return schema.parse(value);
  const rest = schema.parse({ ...(value as object), items: [] }) as Record<string, unknown>;
  const element = listed.element as z.ZodType;
  const out: unknown[] = new Array(items.length);
  for (let i = 0; i < items.length; i += PARSE_SLICE) {
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const end = Math.min(items.length, i + PARSE_SLICE);
    for (let j = i; j < end; j++) {
      const parsed = element.safeParse(items[j]);
      if (!parsed.success)
        throw new z.ZodError(parsed.error.issues.map((issue) => ({ ...issue, path: ['items', j, ...issue.path] })));
      out[j] = parsed.data;
    }
  }
  return { ...rest, items: out };
}
