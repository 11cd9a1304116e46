import type { Channel, EventName, EventPayload, Request, Response } from '../../shared/contract';
import { ApiError, type Result } from '../../shared/result';
import { createTransport, type Transport } from './transport';

/** Thrown by call(); the class lives in shared/result.ts. */
export { ApiError };

let transport: Transport | null = null;
const getTransport = () => (transport ??= createTransport());

/** Typed call: the result value, or an ApiError carrying the code. */
export async function call<C extends Channel>(channel: C, payload: Request<C>): Promise<Response<C>> {
  let result: Result<Response<C>>;
  try {
    result = (await getTransport().invoke(channel, payload)) as Result<Response<C>>;
  } catch {
    throw new ApiError({ code: 'NETWORK', message: 'Lost contact with the Salvage host process.' });
  }
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}

/** Typed subscription to an event from main. Returns the unsubscribe function. */
export function subscribe<E extends EventName>(event: E, callback: (payload: EventPayload<E>) => void): () => void {
  return getTransport().on(event, callback as (payload: unknown) => void);
}

/**
 * Called each time the browser host's event stream (re)connects (events sent before were missed). Returns the
 * unsubscribe function.
 */
export const onEventsConnected = (callback: () => void): (() => void) => getTransport().onConnected(callback);

export const hostKind = () => getTransport().kind;
