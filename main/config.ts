import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { type AreaConfig, readAreaConfig } from '../sync/areaRules';
import { type SecurityPolicy, readSecurityPolicy } from './security/securityPolicy';

/**
 * Configuration, parsed once at start (flags, then ONSCENE_* environment, then an optional JSON
 * file a trust's IT deploys, then defaults) and passed to the composition root. Nothing else in
 * the app reads process.env: this is the one place a deployment can be understood from.
 */

/** The region's OpenID Connect provider (NHS CIS2 in production; the sandbox's own in development). */
export type IdentityConfig = Readonly<{ issuer: string; clientId: string; scope: string }>;

export type AppConfig = Readonly<{
  /** FHIR R4 base URL of the central record; null = none configured (the app says so and stops). */
  centralUrl: string | null;
  /** A fixed OAuth2 bearer token for the central record (service accounts, interop tests); signed-in users' tokens take precedence. */
  centralToken: string | null;
  /** Staff sign in online here; null = online sign-in is not configured (offline PINs still work). */
  identity: IdentityConfig | null;
  dataDir: string;
  /** Web shell port; 0 picks a free one. */
  port: number;
  vehicle: string;
  syncIntervalMs: number;
  /** The crews' organisation (FHIR Organization id), named in every audit entry. */
  organizationId: string | null;
  /** Scope 2, the operating area; null = no area caseload. */
  area: AreaConfig | null;
  policy: SecurityPolicy;
  /** ONSCENE_SHELL=web: use the web shell even where Electron is installed. */
  shell: 'auto' | 'web';
  /** How long a closed incident's patient stays cached (tests shorten it; default in sync/incidentScope). */
  incidentGraceMs?: number;
  /**
   * The local store's database name (default 'onscene'). Only tests that run two devices in one
   * process set it: RxDB keys open databases by name process-wide and closes a duplicate.
   */
  storeName?: string;
  /** Issue #13: the format of a 111 call reference (a regular expression, whole reference) and how to describe it. */
  calls: CallsConfig;
  /** Issue #16: where the desktop app looks for signed updates; null = it never updates itself. */
  updateUrl: string | null;
}>;

export type CallsConfig = Readonly<{ referencePattern: string; referenceHint: string }>;

/** Within core's envelope (CALL_REFERENCE_PATTERN: letters, digits, '-', '/', 4–32); a trust narrows it to its own format. */
export const DEFAULT_CALLS: CallsConfig = {
  referencePattern: '^[A-Za-z0-9][A-Za-z0-9\\-/]{3,31}$',
  referenceHint: 'Letters, digits and dashes, as on the call screen, such as 111-20260615-0042',
};

/** A pattern that compiles and is anchored at both ends, or a startup error naming the setting. */
function readCalls(file: ConfigFile, env: NodeJS.ProcessEnv): CallsConfig {
  const referencePattern = env.ONSCENE_CALL_REFERENCE_PATTERN ?? file.calls?.referencePattern ?? DEFAULT_CALLS.referencePattern;
  try {
    new RegExp(referencePattern);
  } catch {
    throw new Error('ONSCENE_CALL_REFERENCE_PATTERN (calls.referencePattern) must be a regular expression.');
  }
  if (!referencePattern.startsWith('^') || !referencePattern.endsWith('$')) throw new Error('ONSCENE_CALL_REFERENCE_PATTERN (calls.referencePattern) must match the whole reference: start it with ^ and end it with $.');
  return { referencePattern, referenceHint: env.ONSCENE_CALL_REFERENCE_HINT ?? file.calls?.referenceHint ?? DEFAULT_CALLS.referenceHint };
}

const url = (flag: string) => z.string().url(`${flag} must be a URL such as https://fhir.example.nhs.uk/R4`);

/** What a trust's IT may put in the config file (`--config <file>` or ONSCENE_CONFIG). */
export const configFileSchema = z
  .object({
    central: z.object({ url: url('central.url'), token: z.string().min(1).optional() }).strict().optional(),
    identity: z.object({ issuer: url('identity.issuer'), clientId: z.string().min(1).max(200), scope: z.string().min(1).max(500).optional() }).strict().optional(),
    vehicle: z.string().optional(),
    dataDir: z.string().min(1).optional(),
    organizationId: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'organizationId must be a FHIR id').optional(),
    area: z.object({ districts: z.array(z.string().max(8)).max(500), allResidents: z.boolean().optional() }).strict().optional(),
    updates: z.object({ url: url('updates.url') }).strict().optional(),
    calls: z.object({ referencePattern: z.string().min(3).max(200).optional(), referenceHint: z.string().min(1).max(200).optional() }).strict().optional(),
    policy: z
      .object({
        idleLockMs: z.number().int().min(1).optional(),
        reauthAfterDays: z.number().int().min(1).optional(),
        freeAttempts: z.number().int().min(1).optional(),
        onlineAfterFailures: z.number().int().min(1).optional(),
        breakGlassMs: z.number().int().min(1).optional(),
        staleAfterMs: z.number().int().min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type ConfigFile = z.infer<typeof configFileSchema>;

const configSchema = z.object({
  centralUrl: url('--central').nullable(),
  centralToken: z.string().min(1).nullable(),
  identity: z.object({ issuer: url('--identity'), clientId: z.string().min(1), scope: z.string().min(1) }).nullable(),
  dataDir: z.string().min(1),
  port: z.coerce.number().int('--port must be a whole number').min(0).max(65535, '--port must be between 0 and 65535'),
  vehicle: z.string().regex(/^[A-Za-z0-9-]{1,20}$/, '--vehicle must be a call sign such as K101'),
  syncIntervalMs: z.coerce.number().int().min(1000, 'ONSCENE_SYNC_INTERVAL_MS must be at least 1000'),
  shell: z.enum(['auto', 'web']),
});

const FLAGS = ['--central', '--identity', '--data', '--port', '--vehicle', '--config'] as const;
type Flag = (typeof FLAGS)[number];
const USAGE = 'Options: --central <url>, --identity <issuer url>, --data <dir>, --port <n>, --vehicle <callsign>, --config <file>.';

function readFlags(argv: readonly string[]): Partial<Record<Flag, string>> {
  const found: Partial<Record<Flag, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] ?? '').split('=', 2) as [string, string | undefined];
    if (!(FLAGS as readonly string[]).includes(flag)) throw new Error(`Unknown option ${flag}. ${USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value.`);
    found[flag as Flag] = value;
  }
  return found;
}

function readConfigFile(file: string | undefined): ConfigFile {
  if (!file) return {};
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`The config file ${path.resolve(file)} cannot be read.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`The config file ${path.resolve(file)} is not valid JSON.`);
  }
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`The config file ${path.resolve(file)} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** The file's policy, as the environment variables that override it name it. */
function policyEnv(file: ConfigFile): Record<string, string> {
  const p = file.policy ?? {};
  const entries: [string, number | undefined][] = [
    ['ONSCENE_IDLE_LOCK_MS', p.idleLockMs],
    ['ONSCENE_REAUTH_DAYS', p.reauthAfterDays],
    ['ONSCENE_PIN_FREE_ATTEMPTS', p.freeAttempts],
    ['ONSCENE_PIN_ONLINE_AFTER', p.onlineAfterFailures],
    ['ONSCENE_BREAK_GLASS_MS', p.breakGlassMs],
    ['ONSCENE_STALE_AFTER_MS', p.staleAfterMs],
  ];
  return Object.fromEntries(entries.filter((e): e is [string, number] => e[1] !== undefined).map(([k, v]) => [k, String(v)]));
}

function readArea(file: ConfigFile, env: NodeJS.ProcessEnv): AreaConfig | null {
  return readAreaConfig({
    ONSCENE_AREA_DISTRICTS: env.ONSCENE_AREA_DISTRICTS ?? file.area?.districts.join(','),
    ONSCENE_AREA_ALL_RESIDENTS: env.ONSCENE_AREA_ALL_RESIDENTS ?? (file.area?.allResidents ? '1' : undefined),
  });
}

/** Parses flags, environment and the config file into one validated AppConfig; throws a plain message on bad input. */
export function readConfig(argv: readonly string[], env: NodeJS.ProcessEnv): AppConfig {
  const flags = readFlags(argv);
  const file = readConfigFile(flags['--config'] ?? env.ONSCENE_CONFIG);
  const issuer = flags['--identity'] ?? env.ONSCENE_IDENTITY_ISSUER ?? file.identity?.issuer ?? null;
  const parsed = configSchema.safeParse({
    centralUrl: flags['--central'] ?? env.ONSCENE_CENTRAL_URL ?? file.central?.url ?? null,
    centralToken: env.ONSCENE_CENTRAL_TOKEN ?? file.central?.token ?? null,
    identity: issuer
      ? { issuer, clientId: env.ONSCENE_IDENTITY_CLIENT_ID ?? file.identity?.clientId ?? 'onscene', scope: file.identity?.scope ?? 'openid profile offline_access' }
      : null,
    dataDir: path.resolve(flags['--data'] ?? env.ONSCENE_DATA_DIR ?? file.dataDir ?? path.join(os.homedir(), '.onscene')),
    port: flags['--port'] ?? env.ONSCENE_PORT ?? 0,
    vehicle: flags['--vehicle'] ?? env.ONSCENE_VEHICLE ?? file.vehicle ?? 'K101',
    syncIntervalMs: env.ONSCENE_SYNC_INTERVAL_MS ?? 30_000,
    shell: env.ONSCENE_SHELL === 'web' ? 'web' : 'auto',
  });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
  return {
    ...parsed.data,
    organizationId: env.ONSCENE_ORGANIZATION_ID ?? file.organizationId ?? null,
    area: readArea(file, env),
    calls: readCalls(file, env),
    updateUrl: env.ONSCENE_UPDATE_URL ?? file.updates?.url ?? null,
    policy: readSecurityPolicy({ ...policyEnv(file), ...env }),
  };
}

/** A complete config for tests and the development entry point: defaults plus what they set. */
export function configFor(overrides: Partial<AppConfig> & Pick<AppConfig, 'dataDir'>): AppConfig {
  return { ...readConfig([], {}), ...overrides };
}
