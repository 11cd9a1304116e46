import { z } from 'zod';
import { AppError } from '../../base/errors';
import { sleep } from '../../base/async';
import {
  BODY_BUDGET,
  defaultHttpOptions,
  errorForStatus,
  httpRequest,
  parseRetryAfter,
  pauseOf,
  type HttpOptions,
} from '../../net/http';
import { parseReply, type Reply } from './dto';

/**
 * The DocSpace REST client: `Authorization: Bearer <API key>`, the `{ response, count, total?,
 * status: 0, statusCode }` success envelope and the `{ error: { message, type, ... }, status: 1,
 * statusCode }` error envelope (ASC.Api.Core CommonApiResponse), mapped onto AppError codes.
 * Every answer Salvage reads is checked against its schema (dto.ts) here, at the edge: a
 * malformed one is a BAD_RESPONSE naming the field, never a crash deep inside.
 */

export type Query = Record<string, string | number | boolean | readonly (string | number)[] | undefined>;

export interface ApiCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Below /api/2.0/, e.g. "files/@trash". */
  path: string;
  query?: Query;
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/**
 * Which API-key scopes a route needs (ASC.Api.Core AuthorizationExtension.ScopesMap). A key without
 * them gets a bare 403 (no body) from the scopes filter, so the message has to come from here.
 */
export function scopeFor(method: string, path: string): string {
  const write = method !== 'GET';
  if (/^files\/rooms/.test(path)) return write ? 'rooms:write' : 'rooms:read';
  if (/^files/.test(path)) return write ? 'files:write' : 'files:read';
  if (/^people\/@self/.test(path)) return write ? 'accounts.self:write' : 'accounts.self:read';
  if (/^people/.test(path)) return write ? 'accounts:write' : 'accounts:read';
  return write ? '*:write' : '*:read';
}

const MAX_WRITE_RETRIES = 3;

/** Fields read leniently: a field of an unexpected type counts as absent. */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/** The success envelope; `status: 1` inside a 2xx is an error. */
const Envelope = z.object({ response: z.unknown(), status: lenient(z.number()), statusCode: lenient(z.number()) });

/** What an error answer may say: `error.message`, or ASP.NET validation `response.errors` / `title`. */
const ErrorBody = z
  .object({
    error: lenient(z.object({ message: lenient(z.string()) })),
    response: lenient(
      z.object({ title: lenient(z.string()), errors: lenient(z.record(z.string(), z.array(z.string()))) }),
    ),
  })
  .nullable()
  .catch(null);

export class DocSpaceApi {
  readonly base: string;

  constructor(
    serverUrl: string,
    private readonly apiKey: string,
    private readonly http: HttpOptions = defaultHttpOptions,
  ) {
    this.base = `${serverUrl.replace(/\/+$/, '')}/api/2.0/`;
  }

  url(path: string, query?: Query): string {
    const url = new URL(path, this.base);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, String(v));
      else url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  /** Sends one call and answers the envelope's `response`, checked against the reply's schema. */
  async call<T>(call: ApiCall, reply: Reply<T>): Promise<T> {
    return parseReply(reply, await this.request(call), call);
  }

  /**
   * A GET of a file the portal serves outside the API (FileHandler.ashx thumbnails), with the API
   * key, answered raw. Only URLs of this portal's own origin: a key is never sent elsewhere.
   */
  async fetchRaw(url: string, signal?: AbortSignal): Promise<Response> {
    if (new URL(url).origin !== new URL(this.base).origin)
      throw new AppError(
        'BAD_RESPONSE',
        'DocSpace named a thumbnail on another server; Salvage does not send the key there.',
      );
    const res = await httpRequest(
      {
        method: 'GET',
        url,
        headers: { Authorization: `Bearer ${this.apiKey}`, Accept: 'image/*' },
        read: 'stream',
        maxBytes: BODY_BUDGET.preview,
        ...(signal ? { signal } : {}),
      },
      this.http,
    );
    if (res.status === 401) {
      await res.body?.cancel();
      throw new AppError('AUTH_FAILED', 'DocSpace did not accept the API key. Sign in again.', { status: 401 });
    }
    return res;
  }

  /** Sends one call whose answer Salvage does not read (an error answer still throws). */
  async send(call: ApiCall): Promise<void> {
    await this.request(call);
  }

  private async request(call: ApiCall): Promise<unknown> {
    const url = this.url(call.path, call.query);
    const headers: Record<string, string> = { Authorization: `Bearer ${this.apiKey}`, Accept: 'application/json' };
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    if (body !== undefined) headers['Content-Type'] = 'application/json';

    // GETs are retried by httpRequest (including 429 with Retry-After). Writes are not idempotent,
    // but a 429 comes from the rate limiter before the action runs, so resending is safe: do it here.
    for (let attempt = 0; ; attempt++) {
      const res = await httpRequest(
        { method: call.method, url, headers, ...(body !== undefined ? { body } : {}), signal: call.signal },
        this.http,
      );
      if (res.status === 429 && call.method !== 'GET' && attempt < MAX_WRITE_RETRIES) {
        const wait = parseRetryAfter(res.headers.get('retry-after')) ?? 1000 * 2 ** attempt;
        if (wait <= this.http.maxRetryAfterMs) {
          await res.body?.cancel();
          await sleep(pauseOf(this.http, wait), call.signal);
          continue;
        }
      }
      return this.read(res, call);
    }
  }

  private async read(res: Response, call: ApiCall): Promise<unknown> {
    const text = await res.text().catch(() => '');
    let json: unknown = undefined;
    if (text.trim()) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (res.status >= 200 && res.status < 300) {
      if (!json || typeof json !== 'object' || !('response' in json || 'status' in json)) {
        throw new AppError(
          'BAD_RESPONSE',
          `The DocSpace server answered something that is not its API (${call.method} ${call.path}).`,
          {
            status: res.status,
          },
        );
      }
      const envelope = Envelope.parse(json);
      if (envelope.status === 1) throw this.failure(envelope.statusCode ?? 400, json, res, call);
      return envelope.response;
    }
    if (res.status >= 300 && res.status < 400) {
      throw new AppError(
        'BAD_RESPONSE',
        'The server redirected the request; check the DocSpace address (https, portal name).',
        {
          status: res.status,
          location: res.headers.get('location') ?? '',
        },
      );
    }
    throw this.failure(res.status, json, res, call);
  }

  private failure(status: number, json: unknown, res: Response, call: ApiCall): AppError {
    const body = ErrorBody.parse(json ?? null);
    const validation = body?.response?.errors ? Object.values(body.response.errors).flat().join(' ') : '';
    const message = body?.error?.message || validation || body?.response?.title || '';
    switch (status) {
      case 401:
        return new AppError(
          'AUTH_FAILED',
          'DocSpace did not accept the API key. It may have been revoked or have expired; sign in again with a new key.',
          {
            status,
          },
        );
      case 403: {
        if (!message) {
          const scope = scopeFor(call.method, call.path);
          return new AppError(
            'FORBIDDEN',
            `The API key is not allowed to do this: it lacks the "${scope}" permission. Create a key with ${scope} (or full access) under API keys in DocSpace.`,
            { status, scope },
          );
        }
        return new AppError('FORBIDDEN', message, { status });
      }
      case 402:
        return new AppError(
          'QUOTA',
          message || 'The DocSpace portal refused this because of its quota or payment status.',
          { status },
        );
      case 429: {
        const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
        return new AppError(
          'RATE_LIMITED',
          `DocSpace is limiting requests${retryAfter !== null ? `; it asked to wait ${Math.ceil(retryAfter / 1000)} s` : ''}. Try again in a moment.`,
          retryAfter !== null ? { status, retryAfterMs: retryAfter } : { status },
        );
      }
      case 404:
        return new AppError('NOT_FOUND', message || 'Not found on the DocSpace server.', { status });
      default:
        return errorForStatus(status, message || undefined);
    }
  }
}
