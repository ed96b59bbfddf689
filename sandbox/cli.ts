/**
 * `npm run sandbox -- --patients N --seed S --port P [--identity] [--require-bearer]`: the sandbox
 * central record on its own, for the demo or for pointing a dev build at. Prints one line with the
 * base URL, then `Service token: <token>` (the bearer token for writes; a local test credential, new
 * at every start) and, with --identity, `Identity provider: <issuer>`.
 *
 * `npm run sandbox -- --identity-only --central <FHIR base URL> [--port P]`: only the identity
 * provider with the demo users, for trying OnScene against any FHIR server; it first makes sure each
 * demo user has a Practitioner and PractitionerRole there (sent with `Authorization: Bearer
 * $ONSCENE_CENTRAL_TOKEN` when that is set, e.g. another sandbox's service token). Prints
 * `Identity provider: <issuer>`.
 *
 * `npm run sandbox -- --seed-into <FHIR base URL> [--patients N] [--seed S]`: writes the same synthetic
 * record into any FHIR server through transaction Bundles (sandbox/seedInto.ts), progress on stderr,
 * `Authorization: Bearer $ONSCENE_CENTRAL_TOKEN` when that is set.
 */
import { type IdentityOnlyCliArgs, parseCliArgs, type SandboxCliArgs, type SeedIntoCliArgs } from './cliArgs';
import { DEMO_USERS } from './demoCast';
import { startSandbox } from './server';

type Closable = Readonly<{ close: () => Promise<void> }>;

function closeOnSignal(service: Closable): void {
  let isClosing = false;
  const shutdown = (): void => {
    if (isClosing) return;
    isClosing = true;
    void service.close().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

async function runSandbox(args: SandboxCliArgs): Promise<void> {
  const { patients, seed, port, identity, requireBearer } = args;
  const sandbox = await startSandbox({ patients, seed, port, identity, requireBearer });
  const bearer = requireBearer ? ', bearer token required' : '';
  console.log(`OnScene sandbox central record (synthetic data) listening at ${sandbox.baseUrl} (${patients} patients, seed ${seed}, ${sandbox.stats.resources} resources${bearer})`);
  console.log(`Service token: ${sandbox.serviceToken}`);
  if (sandbox.issuer) console.log(`Identity provider: ${sandbox.issuer}`);
  closeOnSignal(sandbox);
}

async function runIdentityOnly(args: IdentityOnlyCliArgs): Promise<void> {
  const { ensureDemoStaff } = await import('./identity/staffRecords');
  try {
    const bearerToken = process.env.ONSCENE_CENTRAL_TOKEN;
    await ensureDemoStaff(args.central, bearerToken ? { bearerToken } : {});
  } catch (err) {
    // The URL is the user's own input and the resources are synthetic: safe to repeat both.
    throw new Error(`Could not write the demo staff to ${args.central}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const { startIdentityProvider } = await import('./identity/provider');
  const provider = await startIdentityProvider({ users: DEMO_USERS, port: args.port });
  console.log(`Identity provider: ${provider.issuer}`);
  closeOnSignal(provider);
}

async function runSeedInto(args: SeedIntoCliArgs): Promise<void> {
  const { seedInto } = await import('./seedInto');
  const bearerToken = process.env.ONSCENE_CENTRAL_TOKEN;
  const result = await seedInto({ baseUrl: args.central, patients: args.patients, seed: args.seed, ...(bearerToken ? { bearerToken } : {}), onProgress: (line) => process.stderr.write(`${line}\n`) });
  console.log(`Seeded ${args.patients} patients (${result.resources} resources, seed ${args.seed}) into ${args.central} in ${(result.ms / 1000).toFixed(1)} s over ${result.transactions} transactions`);
}

const parsed = parseCliArgs(process.argv.slice(2));
if (!parsed.isOk) {
  console.error(parsed.message);
  process.exit(2);
}
const { args } = parsed;
try {
  await (args.mode === 'identity-only' ? runIdentityOnly(args) : args.mode === 'seed-into' ? runSeedInto(args) : runSandbox(args));
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code;
  const port = 'port' in args ? args.port : 0;
  const what = args.mode === 'seed-into' ? 'Seeding failed' : 'Sandbox failed to start';
  console.error(code === 'EADDRINUSE' ? `Port ${port} is already in use: choose another with --port, or 0 for any free port.` : `${what}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
