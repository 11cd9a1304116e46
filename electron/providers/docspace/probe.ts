import { defaultHttpOptions, httpRequest, type HttpOptions } from '../../net/http';
import type { ServerProbe } from '../../../shared/model';

/**
 * Is this a DocSpace portal? `GET /api/2.0/settings/version/build` answers without signing in
 * (AllowAnonymous) with `{ response: { docSpace, documentServer, ... } }` in the usual envelope.
 */
export async function probeDocSpace(serverUrl: string, signal?: AbortSignal, http: HttpOptions = defaultHttpOptions): Promise<ServerProbe | null> {
  const res = await httpRequest(
    { method: 'GET', url: `${serverUrl}/api/2.0/settings/version/build`, headers: { Accept: 'application/json' }, ...(signal ? { signal } : {}) },
    { ...http, retries: 0 },
  );
  if (res.status !== 200) {
    await res.body?.cancel();
    return null;
  }
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    return null;
  }
  const response = (json as { response?: { docSpace?: unknown } } | null)?.response;
  if (!response || typeof response.docSpace !== 'string') return null;
  return {
    kind: 'docspace',
    serverUrl,
    productName: 'ONLYOFFICE DocSpace',
    version: response.docSpace || null,
    auth: 'api-key',
    insecureHttp: serverUrl.startsWith('http:'),
    trashSupported: true,
  };
}
