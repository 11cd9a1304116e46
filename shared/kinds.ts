/**
 * The server kinds Salvage speaks to, each described once: what the user reads (names, the secret
 * and where to get one, what can be said about retention) and what the kind can do. AccountKind
 * and ServerProbe.auth (shared/model.ts, so the IPC contract), the command line's --kind,
 * WebDavKind, the test servers' kinds, and every name, hint and capability the renderer, the
 * services and the command line use come from this table.
 *
 * Adding a kind touches:
 * - this file: its entry in SERVER_KINDS;
 * - electron/providers/index.ts: its factory (providerFactories is a complete Record: the compiler
 *   names it); a new family also needs its prober there and its own provider folder;
 * - its provider. A WebDAV kind: its dialect in electron/providers/webdav/dialect.ts (`dialects`
 *   is a complete Record: the compiler names it), its trash change check in webdav/changes.ts
 *   (named by the compiler), and its recognition in webdav/detect.ts (kindFromStatus, whether its
 *   trash is usable; not named: review it, and the provider's other per-kind branches in
 *   webdav/previews.ts, losses.ts, restore.ts, removal.ts and requests.ts, where a new kind takes
 *   the ownCloud 10 path or none);
 * - its test server under electron/demo/servers/ (ServerKind is Kind: the compiler names the
 *   switches in servers/index.ts and faults.ts, and in faults.test.ts and transport.test.ts).
 * Not derived, so to be read over by hand: the command line's help (electron/hosts/cli/main.ts),
 * which names the kinds in words beside --user and the environment variables.
 * Browser sign-in and Nextcloud's Login Flow are oCIS's and Nextcloud's own protocols:
 * electron/services/index.ts adds accounts from them as those kinds, so a new kind with
 * `browserSignIn` or the 'login-flow-or-app-password' auth also needs that file to say which kind.
 */

/** Protocol family: which provider folder speaks to the kind. */
export type KindFamily = 'webdav' | 'docspace';

/** Which credentials the add-account dialog asks for (ServerProbe.auth). */
export const KIND_AUTHS = ['api-key', 'app-password', 'login-flow-or-app-password', 'token'] as const;
export type KindAuth = (typeof KIND_AUTHS)[number];

export interface KindInfo {
  family: KindFamily;
  /** The full product name, as dialogs name it ("ownCloud Infinite Scale"); DocSpace's detection reports it. */
  name: string;
  /** The short name the sidebar shows beside an account ("oCIS"). */
  shortName: string;
  /**
   * The product as sentences and notifications name it ("Infinite Scale makes no previews…",
   * "Nextcloud, alice"); WebDAV detection reports it when status.php names no product.
   */
  productName: string;
  /** The words a label that already names the kind holds ("infinite scale" in "Infinite Scale (demo)"). */
  labelWords: string;
  auth: KindAuth;
  secret: {
    /**
     * The secret as sentences name it, lower case but for names ("app password", "API key"); field labels capitalise
     * it.
     */
    name: string;
    /** Where the user gets one. */
    hint: string;
  };
  /**
   * Whether the account has a user name: 'none' (the secret alone signs in), 'required', or
   * 'optional' (without one, the secret is an access token sent as a bearer token).
   */
  userName: 'none' | 'required' | 'optional';
  /**
   * What can be said about when the server deletes a trashed item for good when it gives no date:
   * 'auto' is Nextcloud's and ownCloud 10's default policy (kept at least 30 days, then deleted when
   * space is needed; the policy itself is not told over the API; renderer/lib/retention.ts words
   * it), or a fixed sentence.
   */
  retention: { policy: 'auto' } | { policy: 'unsaid'; text: string };
  /** Can a restore recreate a missing original folder (WebDAV: MKCOL on the way)? */
  recreatesFolders: boolean;
  /** Does the server make previews of trashed files? */
  previews: boolean;
  /** Is the trash per space (personal and project spaces), each listed on its own? */
  spaces: boolean;
  /** Do the user's roles in a space limit what they may restore or delete (viewer, editor, manager)? */
  roles: boolean;
  /** Can the user sign in through the browser (OpenID Connect)? */
  browserSignIn: boolean;
}

export const SERVER_KINDS = {
  docspace: {
    family: 'docspace',
    name: 'ONLYOFFICE DocSpace',
    shortName: 'DocSpace',
    productName: 'DocSpace',
    labelWords: 'docspace',
    auth: 'api-key',
    secret: { name: 'API key', hint: 'Create one in DocSpace: Developer Tools → API keys, with access to files.' },
    userName: 'none',
    retention: {
      policy: 'unsaid',
      text: 'Unknown: DocSpace gives no date for this item (automatic emptying may be off).',
    },
    recreatesFolders: false,
    previews: true,
    spaces: false,
    roles: false,
    browserSignIn: false,
  },
  owncloud10: {
    family: 'webdav',
    name: 'ownCloud 10',
    shortName: 'ownCloud',
    productName: 'ownCloud',
    labelWords: 'owncloud',
    auth: 'app-password',
    secret: { name: 'app password', hint: 'Create one in ownCloud: Settings → Security → App passwords.' },
    userName: 'required',
    retention: { policy: 'auto' },
    recreatesFolders: true,
    previews: true,
    spaces: false,
    roles: false,
    browserSignIn: false,
  },
  nextcloud: {
    family: 'webdav',
    name: 'Nextcloud',
    shortName: 'Nextcloud',
    productName: 'Nextcloud',
    labelWords: 'nextcloud',
    auth: 'login-flow-or-app-password',
    secret: {
      name: 'app password',
      hint: 'Create one in Nextcloud: Personal settings → Security → Devices & sessions.',
    },
    userName: 'required',
    retention: { policy: 'auto' },
    recreatesFolders: true,
    previews: true,
    spaces: false,
    roles: false,
    browserSignIn: false,
  },
  ocis: {
    family: 'webdav',
    name: 'ownCloud Infinite Scale',
    shortName: 'oCIS',
    productName: 'Infinite Scale',
    labelWords: 'infinite scale',
    auth: 'token',
    secret: {
      name: 'app token',
      hint: 'Create one with “ocis auth-app create” or in the web UI under Preferences → App tokens.',
    },
    userName: 'optional',
    retention: {
      policy: 'unsaid',
      text: 'Unknown: Infinite Scale does not tell when it purges its trash (an administrator sets it).',
    },
    recreatesFolders: true,
    previews: false,
    spaces: true,
    roles: true,
    browserSignIn: true,
  },
} as const satisfies Record<string, KindInfo>;

/** A server kind's id. */
export type Kind = keyof typeof SERVER_KINDS;

/** Every kind's id, in the registry's order (a tuple, as zod's enum takes it). */
export const KIND_IDS = Object.keys(SERVER_KINDS) as [Kind, ...Kind[]];

/** The kinds of one protocol family ('webdav' → 'owncloud10' | 'nextcloud' | 'ocis'). */
export type KindOf<F extends KindFamily> = {
  [K in Kind]: (typeof SERVER_KINDS)[K]['family'] extends F ? K : never;
}[Kind];

/** A kind's registry entry. */
export const kindInfo = (kind: Kind): KindInfo => SERVER_KINDS[kind];

/**
 * An account as the details name it: its label, then its server kind unless the label already says it ("Nextcloud
 * (demo)"; not a host such as "alice@nextcloud.test").
 */
export function accountWithKind(account: { label: string; kind: Kind }): string {
  const { labelWords, name } = kindInfo(account.kind);
  const named = new RegExp(`(^|\\s)${labelWords}(\\s|$)`).test(account.label.toLowerCase());
  return named ? account.label : `${account.label} (${name})`;
}
