import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEMO_PATIENT_COUNT } from './demoCast';
import { MAX_PATIENTS } from './generate';

export const CLI_USAGE = [
  'Usage: npm run sandbox -- [--patients N] [--seed S] [--port P] [--identity] [--require-bearer]',
  '       npm run sandbox -- --identity-only --central <FHIR base URL> [--port P]',
  '       npm run sandbox -- --seed-into <FHIR base URL> [--patients N] [--seed S]',
].join('\n');

const intString = (name: string, min: number, max: number) =>
  z.string()
    .regex(/^\d+$/, `--${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().min(min, `--${name} must be at least ${min}`).max(max, `--${name} must be at most ${max}`));

const SandboxArgsSchema = z.strictObject({
  patients: intString('patients', DEMO_PATIENT_COUNT, MAX_PATIENTS).default(200),
  seed: intString('seed', 0, 0xffffffff).default(1),
  port: intString('port', 0, 65_535).default(0),
  identity: z.boolean().default(false),
  'require-bearer': z.boolean().default(false),
}).transform(({ 'require-bearer': requireBearer, identity, ...rest }) => ({
  mode: 'sandbox' as const,
  ...rest,
  // Bearer tokens come from the sandbox's own provider, so requiring them starts it.
  identity: identity || requireBearer,
  requireBearer,
}));

const IdentityOnlyArgsSchema = z.strictObject({
  'identity-only': z.literal(true),
  central: z
    .string({ error: '--identity-only needs --central <FHIR base URL>' })
    .refine((s) => /^https?:$/.test(URL.parse(s)?.protocol ?? ''), '--central must be an http:// or https:// FHIR base URL'),
  port: intString('port', 0, 65_535).default(0),
}).transform(({ central, port }) => ({ mode: 'identity-only' as const, central, port }));

const baseUrl = (flag: string, missing: string) =>
  z.string({ error: missing }).refine((s) => /^https?:$/.test(URL.parse(s)?.protocol ?? ''), `--${flag} must be an http:// or https:// FHIR base URL`);

/** Issue #17: the synthetic record written into another FHIR server (sandbox/seedInto.ts). */
const SeedIntoArgsSchema = z.strictObject({
  'seed-into': baseUrl('seed-into', '--seed-into needs a FHIR base URL'),
  patients: intString('patients', DEMO_PATIENT_COUNT, MAX_PATIENTS).default(200),
  seed: intString('seed', 0, 0xffffffff).default(1),
}).transform(({ 'seed-into': central, patients, seed }) => ({ mode: 'seed-into' as const, central, patients, seed }));

export type SandboxCliArgs = z.infer<typeof SandboxArgsSchema>;
export type SeedIntoCliArgs = z.infer<typeof SeedIntoArgsSchema>;
export type IdentityOnlyCliArgs = z.infer<typeof IdentityOnlyArgsSchema>;
export type CliArgs = SandboxCliArgs | IdentityOnlyCliArgs | SeedIntoCliArgs;

export type CliParse = Readonly<{ isOk: true; args: CliArgs }> | Readonly<{ isOk: false; message: string }>;

const OPTIONS = {
  patients: { type: 'string' },
  seed: { type: 'string' },
  port: { type: 'string' },
  identity: { type: 'boolean' },
  'require-bearer': { type: 'boolean' },
  'identity-only': { type: 'boolean' },
  central: { type: 'string' },
  'seed-into': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const SANDBOX_ONLY = ['patients', 'seed', 'identity', 'require-bearer'] as const;

function fail(message: string): CliParse {
  return { isOk: false, message: `${message}\n${CLI_USAGE}` };
}

/** Parses and validates the sandbox CLI (full sandbox, or `--identity-only`); the message says what to fix. */
export function parseCliArgs(argv: readonly string[]): CliParse {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return { isOk: false, message: CLI_USAGE };
  const { help: _help, ...rest } = values;
  if (rest['seed-into'] !== undefined) {
    const misplaced = (['port', 'identity', 'require-bearer', 'identity-only', 'central'] as const).find((k) => rest[k] !== undefined);
    if (misplaced) return fail(`--${misplaced} does not apply with --seed-into`);
    const seeding = SeedIntoArgsSchema.safeParse(rest);
    return seeding.success ? { isOk: true, args: seeding.data } : fail(seeding.error.issues.map((i) => i.message).join('\n'));
  }
  if (rest['identity-only']) {
    const misplaced = SANDBOX_ONLY.find((k) => rest[k] !== undefined);
    if (misplaced) return fail(`--${misplaced} does not apply with --identity-only`);
  } else if (rest.central !== undefined) {
    return fail('--central only applies with --identity-only');
  }
  const parsed = rest['identity-only'] ? IdentityOnlyArgsSchema.safeParse(rest) : SandboxArgsSchema.safeParse(rest);
  if (!parsed.success) return fail(parsed.error.issues.map((i) => i.message).join('\n'));
  return { isOk: true, args: parsed.data };
}
