/**
 * The account store: non-secret account settings in one versioned JSON file in userData
 * (accounts.json, 0600, written atomically). Secrets are never here; they live in the vault.
 *
 * Format history and migrations:
 *   1  { version: 1, accounts: [{ id, kind, label, serverUrl, user, userName, demo? }] }
 *   2  adds userId (the id used in DAV URLs; v1 used the login name) and trustedCertFingerprint.
 * A file that is not JSON, or not this shape, or from a newer Salvage is moved aside (never
 * deleted) and reported as a startup notice; entries that fail validation are left out and the
 * original file is kept next to it, also with a notice. Demo accounts are kept in memory only:
 * they point at test servers that exist for one session.
 */
import { z } from 'zod';
import { AccountKind } from '../../shared/model';
import type { AccountConfig } from '../providers/types';
import type { AccountStore, StartupNotice } from '../services/stores';
import { moveAside, readIfExists, writeFileAtomic } from '../base/files';

export const ACCOUNT_FILE_VERSION = 2;

const AccountV2 = z.object({
  id: z.string().min(1),
  kind: AccountKind,
  label: z.string(),
  serverUrl: z.string().regex(/^https?:\/\/[^\s]+$/),
  user: z.string(),
  userId: z.string(),
  userName: z.string(),
  demo: z.boolean().default(false),
  trustedCertFingerprint: z.string().max(200).optional(),
  /** Added later within version 2 (optional, so older files read as before): a browser sign-in. */
  signIn: z.literal('oidc').optional(),
});

type Migration = (file: Record<string, unknown>) => Record<string, unknown>;

/** migrations[n] turns a version-n file into a version-(n+1) file. */
export const migrations: Record<number, Migration> = {
  1: (file) => ({
    version: 2,
    accounts: (Array.isArray(file.accounts) ? file.accounts : []).map((a: unknown) =>
      a && typeof a === 'object' ? { userId: (a as { user?: unknown }).user ?? '', ...(a as object) } : a,
    ),
  }),
};

export interface LoadResult {
  accounts: AccountConfig[];
  notices: StartupNotice[];
  /** Whether the file should be written back (it was migrated or cleaned). */
  rewrite: boolean;
}

/** Reads, migrates and validates the file; every problem ends up as a notice, never as a throw. */
export function loadAccountFile(file: string, now = new Date()): LoadResult {
  const notices: StartupNotice[] = [];
  const setAside = (why: 'corrupt' | 'newer' | 'unreadable', what: string): LoadResult => {
    const where = moveAside(file, why, now);
    notices.push({
      level: 'warning',
      message: `Your saved accounts could not be loaded (${what}). The file was moved aside${where ? ` to ${where}` : ''}; add your accounts again.`,
    });
    return { accounts: [], notices, rewrite: false };
  };

  let text: string | null;
  try {
    text = readIfExists(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'read error';
    notices.push({
      level: 'warning',
      message: `Your saved accounts could not be read (${code}); Salvage starts without them and left the file as it was.`,
    });
    return { accounts: [], notices, rewrite: false };
  }
  if (text === null) return { accounts: [], notices, rewrite: false };

  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return setAside('corrupt', 'the file is damaged');
  }
  if (
    !data ||
    typeof data !== 'object' ||
    Array.isArray(data) ||
    typeof (data as { version?: unknown }).version !== 'number'
  ) {
    return setAside('corrupt', 'the file is not a Salvage accounts file');
  }
  let current = data as Record<string, unknown>;
  const startVersion = current.version as number;
  if (startVersion > ACCOUNT_FILE_VERSION) {
    return setAside('newer', `it was written by a newer version of Salvage (format ${startVersion})`);
  }
  while ((current.version as number) < ACCOUNT_FILE_VERSION) {
    const migrate = migrations[current.version as number];
    if (!migrate) return setAside('corrupt', `format ${String(current.version)} is unknown`);
    current = migrate(current);
  }
  if (!Array.isArray(current.accounts)) return setAside('corrupt', 'the file has no account list');

  const accounts: AccountConfig[] = [];
  let dropped = 0;
  for (const raw of current.accounts) {
    const parsed = AccountV2.safeParse(raw);
    if (parsed.success && !parsed.data.demo) {
      const { trustedCertFingerprint, signIn, ...rest } = parsed.data;
      accounts.push({
        ...rest,
        ...(trustedCertFingerprint ? { trustedCertFingerprint } : {}),
        ...(signIn ? { signIn } : {}),
      });
    } else if (!parsed.success) dropped++;
  }
  let rewrite = startVersion !== ACCOUNT_FILE_VERSION;
  if (dropped > 0) {
    const where = moveAside(file, 'corrupt', now);
    notices.push({
      level: 'warning',
      message: `${dropped} saved account${dropped === 1 ? '' : 's'} could not be read and ${dropped === 1 ? 'was' : 'were'} left out. The original file was kept${where ? ` at ${where}` : ''}.`,
    });
    rewrite = true;
  }
  return { accounts, notices, rewrite };
}

/** Copies the known non-secret fields only, so nothing else a caller holds can reach the file. */
function onlySettings(a: AccountConfig): AccountConfig {
  return {
    id: a.id,
    kind: a.kind,
    label: a.label,
    serverUrl: a.serverUrl,
    user: a.user,
    userId: a.userId,
    userName: a.userName,
    demo: a.demo,
    ...(a.trustedCertFingerprint ? { trustedCertFingerprint: a.trustedCertFingerprint } : {}),
    ...(a.signIn ? { signIn: a.signIn } : {}),
  };
}

export class FileAccountStore implements AccountStore {
  private readonly accounts = new Map<string, AccountConfig>();
  private readonly problems: StartupNotice[];

  constructor(private readonly file: string) {
    const loaded = loadAccountFile(file);
    for (const a of loaded.accounts) this.accounts.set(a.id, a);
    this.problems = loaded.notices;
    if (loaded.rewrite) this.save();
  }

  list(): AccountConfig[] {
    return [...this.accounts.values()];
  }

  get(id: string): AccountConfig | null {
    return this.accounts.get(id) ?? null;
  }

  put(account: AccountConfig): void {
    this.accounts.set(account.id, onlySettings(account));
    if (!account.demo) this.save();
  }

  remove(id: string): boolean {
    const existing = this.accounts.get(id);
    if (!existing) return false;
    this.accounts.delete(id);
    if (!existing.demo) this.save();
    return true;
  }

  notices(): StartupNotice[] {
    return [...this.problems];
  }

  private save(): void {
    const accounts = this.list().filter((a) => !a.demo);
    writeFileAtomic(this.file, `${JSON.stringify({ version: ACCOUNT_FILE_VERSION, accounts }, null, 2)}\n`);
  }
}
