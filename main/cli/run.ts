import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { isValidNhsNumber } from '../../core/nhsNumber';
import { AppError } from '../../core/errors';
import { type AuditFile, openAuditFile } from '../../db/auditFile';
import { createFhirClient } from '../../sync/fhirClient';
import { openKeyVault } from '../security/keyVault';
import { UsageError, parseArgs, parseInstant } from './args';
import { refuseSealedKeyFile, refuseUnlessAuditStaff } from './auditAccess';
import { verifyCentralCommand } from './auditCentral';
import { type AuditCliContext, EXIT, exportCommand, patientCommand, verifyCommand } from './auditCommands';
import { readPin } from './pin';

export const USAGE = `Usage (information governance staff and administrators):
  npm run onscene -- audit verify                 --data <dir> --user <user id> [--central <FHIR base URL>]
  npm run onscene -- audit export                 --data <dir> --user <user id> --from <date> --to <date> --format fhir|csv [--out <file>]
  npm run onscene -- audit patient <NHS number>   --data <dir> --user <user id> [--format text|csv]
The PIN of an enrolled user unlocks the device's database: set ONSCENE_PIN, or type it when asked.
Only a user whose role on this device is administrator (the trust's IG/IT role, as their last online
sign-in recorded it) may use these tools. A key file sealed by the desktop app's OS key store cannot be
opened here: use the installed OnScene on the computer that sealed it.
verify --central also checks the chain against the heads this device sent the central record (anchors),
which shows a rewrite that the local check cannot; a bearer token for it may be set in ONSCENE_CENTRAL_TOKEN.
--data defaults to ONSCENE_DATA_DIR, then ~/.onscene. Dates are UTC days (2026-03-01) or times (2026-03-01T08:00:00Z);
a --to day is included. Exit status: 0 done, 1 usage, unlock or permission error, 2 the audit trail is broken.
`;

export type CliIo = Readonly<{
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdout: Writable;
  stderr: Writable;
  now?: () => Date;
}>;

const COMMON = ['--data', '--user'] as const;

const writerFor = (stream: Writable) => (text: string) =>
  stream.write(text) ? Promise.resolve() : new Promise<void>((resolve) => stream.once('drain', () => resolve()));

function appVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function unlockAuditFile(io: CliIo, flags: ReadonlyMap<string, string>): Promise<{ file: AuditFile; userId: string; dataDir: string }> {
  const dataDir = path.resolve(flags.get('--data') ?? io.env.ONSCENE_DATA_DIR ?? path.join(os.homedir(), '.onscene'));
  const userId = flags.get('--user') ?? io.env.ONSCENE_USER;
  if (!userId) throw new UsageError('--user is required: the id of an administrator enrolled on this device.');
  if (!fs.existsSync(dataDir)) throw new UsageError('The --data folder does not exist.');
  refuseSealedKeyFile(dataDir); // before the PIN: no PIN could open it here
  const vault = openKeyVault(dataDir);
  const pin = await readPin(io.env, io.stdin, io.stderr);
  const key = pin ? await vault.unlock(userId, pin) : null;
  if (!key) throw new AppError('wrong-pin', 'That user and PIN do not match this device.');
  // The PIN first, so a role cannot be probed without it; the role before the database is opened.
  refuseUnlessAuditStaff(dataDir, userId);
  return { file: openAuditFile({ directory: dataDir, key }), userId, dataDir };
}

function readDeviceId(dataDir: string): string {
  try {
    return fs.readFileSync(path.join(dataDir, 'device-id'), 'utf8').trim() || 'onscene-unknown-device';
  } catch {
    return 'onscene-unknown-device';
  }
}

function openOut(file: string): Promise<fs.WriteStream> {
  return new Promise((resolve, reject) => {
    // 'wx': never overwrite; 0600: the export names patients.
    const stream = fs.createWriteStream(path.resolve(file), { flags: 'wx', mode: 0o600 });
    stream.once('open', () => resolve(stream));
    stream.once('error', (error: NodeJS.ErrnoException) =>
      reject(new UsageError(error.code === 'EEXIST' ? '--out names a file that already exists; choose a new name.' : '--out cannot be written there.')),
    );
  });
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
  } catch {
    return false;
  }
}

async function runAudit(io: CliIo, command: string | undefined, rest: readonly string[]): Promise<number> {
  const allowed: Record<string, readonly string[]> = {
    verify: [...COMMON, '--central'],
    export: [...COMMON, '--from', '--to', '--format', '--out'],
    patient: [...COMMON, '--format'],
  };
  if (!command || !allowed[command]) throw new UsageError(command ? `Unknown audit command "${command.slice(0, 40)}".` : 'Say which audit command: verify, export or patient.');
  const { positionals, flags } = parseArgs(rest, allowed[command]);
  if (command === 'patient' ? positionals.length === 0 : positionals.length > 0) {
    throw new UsageError(command === 'patient' ? 'Give the NHS number: audit patient <NHS number>.' : `audit ${command} takes no other arguments.`);
  }
  // Check every argument before asking for a PIN.
  let exportPlan: { fromIso: string; toIso: string; format: 'fhir' | 'csv'; out: string | null } | null = null;
  let patient: { nhsNumber: string; format: 'text' | 'csv' } | null = null;
  const central = flags.get('--central') ?? null;
  if (central !== null && !isHttpUrl(central)) throw new UsageError('--central must be the central record\'s FHIR base URL (http:// or https://).');
  if (command === 'export') {
    const from = flags.get('--from');
    const to = flags.get('--to');
    const format = flags.get('--format');
    if (!from || !to) throw new UsageError('audit export needs --from and --to.');
    if (format !== 'fhir' && format !== 'csv') throw new UsageError('--format must be fhir or csv.');
    const fromIso = parseInstant('--from', from, false);
    const toIso = parseInstant('--to', to, true);
    if (fromIso >= toIso) throw new UsageError('--from must be before --to.');
    exportPlan = { fromIso, toIso, format, out: flags.get('--out') ?? null };
  }
  if (command === 'patient') {
    const nhsNumber = positionals.join('').replace(/[\s-]/g, ''); // "999 000 0018" may arrive as three words
    // The number is never repeated back: it identifies a person.
    if (!isValidNhsNumber(nhsNumber)) throw new UsageError('That is not a valid NHS number (10 digits with a correct check digit).');
    const format = flags.get('--format') ?? 'text';
    if (format !== 'text' && format !== 'csv') throw new UsageError('--format must be text or csv.');
    patient = { nhsNumber, format };
  }

  const { file, userId, dataDir } = await unlockAuditFile(io, flags);
  const out = writerFor(io.stdout);
  const ctx: AuditCliContext = {
    log: file.log,
    userId,
    deviceId: readDeviceId(dataDir),
    appVersion: appVersion(),
    now: io.now ?? (() => new Date()),
    output: { out, err: (text) => void io.stderr.write(text) },
  };
  try {
    if (exportPlan) {
      const stream = exportPlan.out ? await openOut(exportPlan.out) : null;
      try {
        return await exportCommand(ctx, { ...exportPlan, sink: stream ? writerFor(stream) : out });
      } finally {
        if (stream) await new Promise<void>((resolve) => stream.end(() => resolve()));
      }
    }
    if (patient) return await patientCommand(ctx, patient.nhsNumber, patient.format);
    if (central) {
      const token = io.env.ONSCENE_CENTRAL_TOKEN;
      const client = createFhirClient({ baseUrl: central, retry: { maxAttempts: 2 }, ...(token ? { bearerToken: token } : {}) });
      return await verifyCentralCommand(ctx, client);
    }
    return await verifyCommand(ctx);
  } finally {
    file.close();
  }
}

/** The `onscene` command line; returns the exit status. Errors never carry PHI or raw exception text. */
export async function runCli(io: CliIo): Promise<number> {
  const [group, command, ...rest] = io.argv;
  try {
    if (group === 'help' || group === '--help') {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    if (!group) throw new UsageError('Say which command to run.');
    if (group !== 'audit') throw new UsageError(`Unknown command "${group.slice(0, 40)}".`);
    return await runAudit(io, command, rest);
  } catch (error) {
    if (error instanceof UsageError) io.stderr.write(`${error.message}\n\n${USAGE}`);
    else if (error instanceof AppError) io.stderr.write(`${error.message}\n`);
    else io.stderr.write(`The command failed (${error instanceof Error ? error.name : 'unknown error'}). Nothing was changed.\n`);
    return EXIT.usage;
  }
}
