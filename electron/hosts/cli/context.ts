import { isAppError } from '../../base/errors';
import type { Services } from '../../services/index';
import type { AccountKind, AccountView } from '../../../shared/model';
import { AccountKind as AccountKindSchema } from '../../../shared/model';
import { kindInfo } from '../../../shared/kinds';
import { str, UsageError, type Args } from './args';
import type { CliJournal } from './batches';
import type { Out } from './output';

/** What every command runs with: the app's services over in-memory stores, where to print, the batch journal. */
export interface Context {
  services: Services;
  out: Out;
  err: Out;
  json: boolean;
  env: NodeJS.ProcessEnv;
  journal: CliJournal;
}

/** The server, kind and user a batch ran against (its journal's account; never the secret). */
export interface Target {
  server: string;
  kind: AccountKind;
  user: string | null;
}

/**
 * Signs in for this run (the account lives in memory only), from the flags or, for `resume`,
 * from the batch's journal. The secret comes only from SALVAGE_PASSWORD or SALVAGE_TOKEN.
 */
export async function signIn(
  ctx: Context,
  args: Args,
  fixed?: Target,
): Promise<{ account: AccountView; target: Target }> {
  const server = fixed?.server ?? str(args.flags, 'server');
  if (!server) throw new UsageError('--server is required.');
  const secret = ctx.env.SALVAGE_PASSWORD || ctx.env.SALVAGE_TOKEN;
  if (!secret)
    throw new UsageError('Set SALVAGE_PASSWORD (app password) or SALVAGE_TOKEN (API key) in the environment.');
  const given = fixed?.kind ?? str(args.flags, 'kind');
  if (given !== undefined && !AccountKindSchema.safeParse(given).success)
    throw new UsageError(`Unknown --kind ${given}.`);
  const kind = (given as AccountKind | undefined) ?? (await ctx.services.accounts.detect(server)).kind;
  const user = fixed ? (fixed.user ?? undefined) : str(args.flags, 'user');
  // oCIS takes SALVAGE_TOKEN without --user as a bearer access token (an OpenID Connect access token).
  const userName = kindInfo(kind).userName;
  const bearer = userName === 'optional' && !user && !ctx.env.SALVAGE_PASSWORD && Boolean(ctx.env.SALVAGE_TOKEN);
  if (userName !== 'none' && !user && !bearer) {
    throw new UsageError(
      userName === 'optional'
        ? '--user is required with SALVAGE_PASSWORD; without --user, set SALVAGE_TOKEN to an access token.'
        : `--user is required for ${kind} servers.`,
    );
  }
  try {
    const account = await ctx.services.accounts.add({ serverUrl: server, kind, user, secret, sessionOnly: true });
    return { account, target: { server, kind, user: user ?? null } };
  } catch (e) {
    // A --kind that does not match the server reads as "not found" or "unexpected answer": say what it is.
    if (
      fixed ||
      !str(args.flags, 'kind') ||
      !isAppError(e) ||
      !['NOT_FOUND', 'BAD_RESPONSE', 'UNSUPPORTED'].includes(e.code)
    )
      throw e;
    const probe = await ctx.services.accounts.detect(server).catch(() => null);
    if (!probe || probe.kind === kind) throw e;
    throw new UsageError(
      `${server} is ${probe.productName} (--kind ${probe.kind}), not ${kind}. Leave out --kind to detect it.`,
    );
  }
}
