import { AppError } from '../../base/errors';
import { kindInfo } from '../../../shared/kinds';
import type { ServerProbe } from '../../../shared/model';
import { defaultHttpOptions, httpRequest, type HttpOptions } from '../../net/http';
import type { ServerProber } from '../types';
import type { WebDavKind } from './dialect';

/**
 * Tells ownCloud 10, Nextcloud and oCIS apart from GET /status.php, by structural markers rather
 * than `productname` (which themed servers rename):
 * - `productversion`, or `product: "Infinite Scale"` → oCIS;
 * - an `extendedSupport` key and no `product` → Nextcloud;
 * - anything else that answers status.php like ownCloud → ownCloud 10 (DAV trash needs 10.4+).
 */
export interface StatusJson {
  installed?: unknown;
  maintenance?: unknown;
  version?: unknown;
  versionstring?: unknown;
  productname?: unknown;
  product?: unknown;
  productversion?: unknown;
  extendedSupport?: unknown;
  edition?: unknown;
}

export function kindFromStatus(status: StatusJson): WebDavKind {
  if (status.productversion !== undefined || status.product === 'Infinite Scale') return 'ocis';
  if (status.extendedSupport !== undefined && status.product === undefined) return 'nextcloud';
  return 'owncloud10';
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** Whether an ownCloud version string is at least major.minor. */
export function versionAtLeast(version: string | null, major: number, minor: number): boolean {
  if (!version) return false;
  const [a, b] = version.split('.').map((p) => Number.parseInt(p, 10));
  if (a === undefined || Number.isNaN(a)) return false;
  return a > major || (a === major && (b ?? 0) >= minor);
}

/** Builds the probe answer from a status.php body (and, where readable, the capabilities). */
export function probeFromStatus(
  serverUrl: string,
  status: StatusJson,
  capabilities: Record<string, unknown> | null,
): ServerProbe {
  const kind = kindFromStatus(status);
  const version = str(status.productversion) ?? str(status.versionstring) ?? str(status.version);
  const files = (capabilities?.files ?? null) as Record<string, unknown> | null;
  const dav = (capabilities?.dav ?? null) as Record<string, unknown> | null;
  let trashSupported: boolean;
  if (kind === 'owncloud10')
    trashSupported = dav?.trashbin !== undefined || versionAtLeast(str(status.version) ?? version, 10, 4);
  else if (kind === 'nextcloud') trashSupported = files?.undelete !== false;
  else trashSupported = true;
  return {
    kind,
    serverUrl,
    productName: str(status.productname) ?? str(status.product) ?? kindInfo(kind).productName,
    version,
    auth: kindInfo(kind).auth,
    insecureHttp: serverUrl.startsWith('http:'),
    trashSupported,
  };
}

/** GET /ocs/v1.php/cloud/capabilities (anonymous: servers answer a reduced set, or 401). */
async function readCapabilities(
  serverUrl: string,
  http: HttpOptions,
  signal?: AbortSignal,
): Promise<Record<string, unknown> | null> {
  try {
    const res = await httpRequest(
      {
        method: 'GET',
        url: `${serverUrl}/ocs/v1.php/cloud/capabilities?format=json`,
        headers: { 'OCS-APIRequest': 'true', Accept: 'application/json' },
        ...(signal ? { signal } : {}),
      },
      http,
    );
    if (res.status !== 200) {
      await res.body?.cancel();
      return null;
    }
    const json = (await res.json()) as { ocs?: { data?: { capabilities?: Record<string, unknown> } } };
    return json.ocs?.data?.capabilities ?? null;
  } catch {
    return null;
  }
}

export function createWebDavProber(http: HttpOptions = defaultHttpOptions): ServerProber {
  return async (serverUrl, signal) => {
    const res = await httpRequest(
      {
        method: 'GET',
        url: `${serverUrl}/status.php`,
        headers: { Accept: 'application/json' },
        ...(signal ? { signal } : {}),
      },
      http,
    );
    if (res.status !== 200) {
      await res.body?.cancel();
      return null;
    }
    let status: StatusJson;
    try {
      status = (await res.json()) as StatusJson;
    } catch {
      return null;
    }
    if (
      typeof status !== 'object' ||
      status === null ||
      (status.installed === undefined && status.version === undefined && status.productversion === undefined)
    )
      return null;
    if (status.maintenance === true || status.maintenance === 'true') {
      throw new AppError('SERVER', 'The server is in maintenance mode; try again later.');
    }
    const capabilities = await readCapabilities(serverUrl, http, signal);
    return probeFromStatus(serverUrl, status, capabilities);
  };
}

export const probeWebDav: ServerProber = createWebDavProber();
