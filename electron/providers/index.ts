import { AppError } from '../base/errors';
import { KIND_IDS, kindInfo } from '../../shared/kinds';
import type { AccountKind, ServerProbe } from '../../shared/model';
import type { ProviderFactoryInput, ServerProber, TrashProvider } from './types';
import { probeDocSpace } from './docspace/probe';
import { createDocSpaceProvider } from './docspace/provider';
import { probeWebDav } from './webdav/detect';
import { createWebDavProvider } from './webdav/provider';
import { createParseHost } from './webdav/trashStream';

/**
 * The provider registry: one factory per server kind (shared/kinds.ts lists the kinds; this map
 * is complete, so a kind added there is named here by the compiler), one prober per protocol family.
 */
/** The WebDAV listing workers: one per account, started on its first listing (see webdav/trashStream.ts). */
const webdav = { parseHost: createParseHost() };

export type ProviderFactory = (input: ProviderFactoryInput) => TrashProvider;

export const providerFactories: Record<AccountKind, ProviderFactory> = {
  docspace: (input) => createDocSpaceProvider(input),
  owncloud10: createWebDavProvider('owncloud10', webdav),
  nextcloud: createWebDavProvider('nextcloud', webdav),
  ocis: createWebDavProvider('ocis', webdav),
};

const probers: ServerProber[] = [
  (url, signal) => probeDocSpace(url, signal),
  (url, signal) => probeWebDav(url, signal),
];

export function createProvider(input: ProviderFactoryInput): TrashProvider {
  // An account file from another version may name a kind this one does not know.
  const factory: ProviderFactory | undefined = providerFactories[input.account.kind];
  if (!factory) throw new AppError('UNSUPPORTED', `Salvage cannot talk to ${input.account.kind} servers yet.`);
  return factory(input);
}

/** Normalises what the user typed into a base URL: adds https://, drops a trailing slash, query and hash. */
export function normaliseServerUrl(input: string): string {
  const trimmed = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new AppError('INVALID_INPUT', `"${input}" is not a server address.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('INVALID_INPUT', 'The server address must start with https:// or http://.');
  }
  if (url.username || url.password) {
    throw new AppError('INVALID_INPUT', 'Put the user name and password in their own fields, not in the address.');
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/(index\.php|status\.php|remote\.php.*)$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

/** "DocSpace, ownCloud, Nextcloud or Infinite Scale": every kind's product, for "nothing answered". */
const PRODUCTS = KIND_IDS.map((k) => kindInfo(k).productName);
const ANY_PRODUCT = `${PRODUCTS.slice(0, -1).join(', ')} or ${PRODUCTS.at(-1)}`;

/** Asks each protocol family whether the server at this address is theirs. */
export async function probeServer(serverUrl: string, signal?: AbortSignal): Promise<ServerProbe> {
  const url = normaliseServerUrl(serverUrl);
  let lastError: unknown = null;
  for (const probe of probers) {
    try {
      const found = await probe(url, signal);
      if (found) return found;
    } catch (e) {
      lastError = e;
    }
  }
  if (lastError instanceof AppError && lastError.code !== 'BAD_RESPONSE' && lastError.code !== 'NOT_FOUND')
    throw lastError;
  throw new AppError('UNSUPPORTED', `No ${ANY_PRODUCT} server answered at ${url}.`);
}
