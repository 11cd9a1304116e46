import { parseArgs as parseNodeArgs } from 'node:util';

/** A mistake in how the command line was called (exit code 2, with the usage). */
export class UsageError extends Error {}

export interface Args {
  command: string;
  positional: string[];
  flags: Map<string, string | true>;
}

const VALUE_FLAGS = [
  'server',
  'user',
  'kind',
  'to',
  'on-conflict',
  'parent',
  'timeout',
  'deleted-from',
  'deleted-to',
  'folder',
  'data-dir',
  'event',
  'since',
  'interval',
  'exec',
] as const;
const BOOL_FLAGS = ['json', 'yes', 'help', 'recreate-folders', 'move-to-listed', 'fail-on-event'] as const;
const SECRET_FLAGS = new Set(['password', 'token', 'secret']);

const options = Object.fromEntries([
  ...VALUE_FLAGS.map((name) => [name, { type: 'string' as const }]),
  ...BOOL_FLAGS.map((name) => [name, { type: 'boolean' as const }]),
]);

/**
 * The command line's arguments, read by node:util's parseArgs (non-strict, with tokens) and
 * checked here so the messages stay Salvage's own: secrets are refused wherever they appear,
 * unknown long options are named, a value option needs its value (`--to X` or `--to=X`).
 * Anything that is not a long option is a positional argument, also when it starts with a single
 * dash (a trash item may be called "-draft.txt.d1732540000"); everything after `--` is too.
 */
export function parseArgs(argv: string[]): Args {
  const { tokens } = parseNodeArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const shortSeen = new Set<number>();
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positional.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    if (!token.rawName.startsWith('--')) {
      // A single-dash word: kept whole as a positional (parseArgs splits "-ab" into two tokens of one index).
      if (!shortSeen.has(token.index)) positional.push(argv[token.index]!);
      shortSeen.add(token.index);
      continue;
    }
    const name = token.name;
    if (SECRET_FLAGS.has(name)) {
      throw new UsageError(
        'Secrets are read from SALVAGE_PASSWORD or SALVAGE_TOKEN only, never from the command line.',
      );
    }
    if ((VALUE_FLAGS as readonly string[]).includes(name)) {
      if (token.value === undefined) throw new UsageError(`--${name} needs a value.`);
      flags.set(name, token.value);
    } else if ((BOOL_FLAGS as readonly string[]).includes(name)) {
      flags.set(name, true);
    } else {
      throw new UsageError(`Unknown option --${name}.`);
    }
  }
  const [command = '', ...rest] = positional;
  return { command, positional: rest, flags };
}

/** A value option's value, when given. */
export const str = (flags: Args['flags'], name: string): string | undefined => {
  const v = flags.get(name);
  return typeof v === 'string' ? v : undefined;
};
