/** A usage mistake: the message is shown as is, with the command's usage line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type ParsedArgs = Readonly<{ positionals: string[]; flags: ReadonlyMap<string, string> }>;

/**
 * Parses `--flag value`, `--flag=value` and positionals, accepting only the flags given.
 * @example parseArgs(['x', '--out=f'], ['--out']) // => { positionals: ['x'], flags: Map { '--out' => 'f' } }
 */
export function parseArgs(argv: readonly string[], allowed: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (!allowed.includes(flag)) {
      throw new UsageError(`Unknown option ${flag.slice(0, 40)}. Options here: ${allowed.join(', ')}.`);
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '' || (eq === -1 && value.startsWith('--'))) throw new UsageError(`${flag} needs a value.`);
    if (flags.has(flag)) throw new UsageError(`${flag} was given twice.`);
    flags.set(flag, value);
  }
  return { positionals, flags };
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A --from/--to value as an ISO instant. A bare date is a whole UTC day: as the end of a range
 * it means the end of that day, so `--from 2026-03-01 --to 2026-03-01` is that one day.
 */
export function parseInstant(flag: string, value: string, isEnd: boolean): string {
  const isDateOnly = DATE_ONLY.test(value);
  if (!isDateOnly && !DATE_TIME.test(value)) {
    throw new UsageError(`${flag} must be a date such as 2026-03-01, or a time such as 2026-03-01T08:00:00Z.`);
  }
  const ms = Date.parse(isDateOnly ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(ms)) throw new UsageError(`${flag} is not a real date.`);
  if (isDateOnly && new Date(ms).toISOString().slice(0, 10) !== value) throw new UsageError(`${flag} is not a real date.`);
  return new Date(isDateOnly && isEnd ? ms + 24 * 60 * 60 * 1000 : ms).toISOString();
}
