import { z } from 'zod';
import { defaultHttpOptions, httpRequest, type HttpOptions } from '../../net/http';
import { SERVER_KINDS } from '../../../shared/kinds';
import type { ServerProbe } from '../../../shared/model';

/** The part of the build-version answer that says "DocSpace" (other servers answer something else, or nothing). */
const VersionBuild = z.object({ response: z.object({ docSpace: z.string() }) });

/**
 * Is this a DocSpace portal? `GET /api/2.0/settings/version/build` answers without signing in
 * (AllowAnonymous) with `{ response: { docSpace, documentServer, ... } }` in the usual envelope.
 */
export async function probeDocSpace(
  serverUrl: string,
  signal?: AbortSignal,
  http: HttpOptions = defaultHttpOptions,
): Promise<ServerProbe | null> {
  const res = await httpRequest(
    {
      method: 'GET',
      url: `${serverUrl}/api/2.0/settings/version/build`,
      headers: { Accept: 'application/json' },
      ...(signal ? { signal } : {}),
    },
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
  const parsed = VersionBuild.safeParse(json);
  if (!parsed.success) return null;
  const { response } = parsed.data;
  return {
    kind: 'docspace',
    serverUrl,
    productName: SERVER_KINDS.docspace.name, // the build-version answer names no product
    version: response.docSpace || null,
    auth: SERVER_KINDS.docspace.auth,
    insecureHttp: serverUrl.startsWith('http:'),
    trashSupported: true,
  };
}
