import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

export type AppConfig = Readonly<{
  /** FHIR base URL of the central record; null starts the embedded sandbox. */
  centralUrl: string | null;
  dataDir: string;
  /** Web shell port; 0 picks a free one. */
  port: number;
  /** OAuth2 bearer token for the central record, when it needs one. */
  centralToken: string | null;
  vehicle: string;
  syncIntervalMs: number;
  /** How long a closed incident's patient stays cached (tests shorten it; default in sync/incidentScope). */
  incidentGraceMs?: number;
}>;

const configSchema = z.object({
  centralUrl: z.string().url('--central must be a URL such as https://fhir.example.nhs.uk/R4').nullable(),
  dataDir: z.string().min(1),
  port: z.coerce.number().int('--port must be a whole number').min(0).max(65535, '--port must be between 0 and 65535'),
  centralToken: z.string().min(1).nullable(),
  vehicle: z.string().regex(/^[A-Za-z0-9-]{1,20}$/, '--vehicle must be a call sign such as K101'),
  syncIntervalMs: z.coerce.number().int().min(1000),
});

const FLAGS: Record<string, keyof AppConfig> = {
  '--central': 'centralUrl',
  '--data': 'dataDir',
  '--port': 'port',
  '--vehicle': 'vehicle',
};

/** Reads flags first, then ONSCENE_* environment variables, then defaults. Throws a plain message on bad input. */
export function readConfig(argv: readonly string[], env: NodeJS.ProcessEnv): AppConfig {
  const fromFlags: Partial<Record<keyof AppConfig, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    const key = FLAGS[flag];
    if (!key) throw new Error(`Unknown option ${flag}. Options: --central <url>, --data <dir>, --port <n>, --vehicle <callsign>.`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value.`);
    fromFlags[key] = value;
  }
  const parsed = configSchema.safeParse({
    centralUrl: fromFlags.centralUrl ?? env.ONSCENE_CENTRAL_URL ?? null,
    dataDir: path.resolve(fromFlags.dataDir ?? env.ONSCENE_DATA_DIR ?? path.join(os.homedir(), '.onscene')),
    port: fromFlags.port ?? env.ONSCENE_PORT ?? 0,
    centralToken: env.ONSCENE_CENTRAL_TOKEN ?? null,
    vehicle: fromFlags.vehicle ?? env.ONSCENE_VEHICLE ?? 'K101',
    syncIntervalMs: env.ONSCENE_SYNC_INTERVAL_MS ?? 30_000,
  });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}
