import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEMO_PATIENT_COUNT } from './demoCast';
import { MAX_PATIENTS } from './generate';

export const CLI_USAGE = 'Usage: npm run sandbox -- [--patients N] [--seed S] [--port P]';

const intString = (name: string, min: number, max: number) =>
  z.string()
    .regex(/^\d+$/, `--${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().min(min, `--${name} must be at least ${min}`).max(max, `--${name} must be at most ${max}`));

const CliArgsSchema = z.strictObject({
  patients: intString('patients', DEMO_PATIENT_COUNT, MAX_PATIENTS).default(200),
  seed: intString('seed', 0, 0xffffffff).default(1),
  port: intString('port', 0, 65_535).default(0),
});

export type CliArgs = z.infer<typeof CliArgsSchema>;

export type CliParse = Readonly<{ isOk: true; args: CliArgs }> | Readonly<{ isOk: false; message: string }>;

/** Parses and validates `--patients --seed --port`; the message says what to fix. */
export function parseCliArgs(argv: readonly string[]): CliParse {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { patients: { type: 'string' }, seed: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return { isOk: false, message: `${err instanceof Error ? err.message : String(err)}\n${CLI_USAGE}` };
  }
  if (values.help) return { isOk: false, message: CLI_USAGE };
  const { help: _help, ...rest } = values;
  const parsed = CliArgsSchema.safeParse(rest);
  if (!parsed.success) return { isOk: false, message: `${parsed.error.issues.map((i) => i.message).join('\n')}\n${CLI_USAGE}` };
  return { isOk: true, args: parsed.data };
}
