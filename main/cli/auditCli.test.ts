import { spawnSync } from 'node:child_process';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { AuditEvent } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditFact } from '../../core/auditEvent';
import { openAuditFile } from '../../db/auditFile';
import { createAuditLog, sha256Hex } from '../../db/auditLog';
import { openConnection } from '../../db/storage/connection';
import { enrolUsersDirectly } from '../dev/enrolUsers';
import type { KeyProtector } from '../security/keyProtector';
import { openKeyVault } from '../security/keyVault';
import { runCli } from './run';

// The IG command line against a real encrypted store made the way the app makes it.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NHS = '9990000018';
const PIN = '4321';
let dataDir: string;
let key: string;

function fact(day: number, overrides: Partial<AuditFact> = {}): AuditFact {
  return {
    action: 'record.open',
    recordedAt: `2026-03-${String(day).padStart(2, '0')}T10:00:00.000Z`,
    userId: 'demo-paramedic-1',
    practitionerId: 'prac-demo-paramedic-1',
    role: 'paramedic',
    deviceId: 'onscene-cli-test',
    appVersion: '0.1.0',
    patientId: 'pat-000001',
    patientNhsNumber: NHS,
    purpose: 'incident task-000001-active',
    outcome: 'success',
    isOffline: day % 2 === 0,
    lastServerTimeAt: null,
    ...overrides,
  };
}

async function cli(argv: string[], env: NodeJS.ProcessEnv = { ONSCENE_PIN: PIN }) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: '', err: '' };
  stdout.on('data', (c: Buffer) => (chunks.out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (chunks.err += c.toString('utf8')));
  const stdin = new PassThrough();
  stdin.end();
  const code = await runCli({ argv, env, stdin, stdout, stderr, now: () => new Date('2026-03-20T12:00:00Z') });
  return { code, ...chunks };
}
const withData = (...args: string[]) => [...args, '--data', dataDir, '--user', 'ig-officer-1'];

const NOT_LISTED_PIN = '8642';

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-cli-'));
  // As online sign-in leaves a device: key wraps, the staff directory (users.json) with each role.
  await enrolUsersDirectly(dataDir, [
    { userId: 'ig-officer-1', pin: PIN, displayName: 'IG Officer', role: 'administrator', vehicle: null, practitionerId: 'prac-ig-officer-1' },
    { userId: 'demo-paramedic-1', pin: PIN, displayName: 'Demo Paramedic', role: 'paramedic', vehicle: 'RRV-01', practitionerId: 'prac-demo-paramedic-1' },
  ]);
  const vault = openKeyVault(dataDir);
  key = (await vault.unlock('ig-officer-1', PIN))!;
  // A key wrap with no directory entry (e.g. the directory was reset): the role is not known here.
  await vault.enrol([{ userId: 'not-listed-1', pin: NOT_LISTED_PIN }], Buffer.from(key, 'hex'));
  fs.writeFileSync(path.join(dataDir, 'device-id'), 'onscene-cli-test');
  const created = openConnection({ directory: dataDir, key }, 'onscene').db; // as the app creates it
  createAuditLog(created).appendMany([
    fact(1),
    fact(2, { purpose: '=HYPERLINK("http://evil.example")' }),
    fact(3, { clockOffsetMs: -10 * 60_000 }),
    // Issue #10: a reason carrying terminal control sequences (erase line, cursor up), a line break and a bidi override.
    fact(4, { action: 'break-glass', purpose: 'Collapsed, no incident link\u001b[2K\u001b[1A\r\nfake row\u202e' }),
    fact(5, { patientId: 'pat-000002', patientNhsNumber: '9990000026' }),
  ]);
  created.close();
});

function lastEntryBy(userId: string) {
  const file = openAuditFile({ directory: dataDir, key });
  try {
    return file.log.recentForUser(userId, 1)[0];
  } finally {
    file.close();
  }
}
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('audit verify', () => {
  it('says OK with what it checked', async () => {
    const result = await cli(withData('audit', 'verify'));
    expect(result).toMatchObject({ code: 0 });
    expect(result.out).toMatch(/^Audit trail OK: 5 entries held on this device \(entries 1–5\)/);
  });
});

describe('audit export', () => {
  it('writes CSV for the days asked (the --to day included), defused against formulas, and audits itself first', async () => {
    const result = await cli(withData('audit', 'export', '--from', '2026-03-02', '--to', '2026-03-03', '--format', 'csv'));
    expect(result.code).toBe(0);
    const lines = result.out.trim().split('\r\n');
    expect(lines[0]).toMatch(/^seq,recorded_at,action,user_id,role,patient_id,nhs_number,purpose/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['2', '3']);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(lines[2]).toMatch(/,true,onscene-cli-test,/); // clock skew flagged
    expect(result.err).toMatch(/Exported 2 entries/);
    expect(lastEntryBy('ig-officer-1')).toMatchObject({ action: 'audit.export', userId: 'ig-officer-1' });
  });

  it('writes a FHIR Bundle of BALP AuditEvents to a new private file, each re-verifiable from its chain extensions', async () => {
    const out = path.join(dataDir, 'export.json');
    const result = await cli(withData('audit', 'export', '--from', '2026-03-01', '--to', '2026-03-05T23:59:59Z', '--format', 'fhir', '--out', out));
    expect(result.code).toBe(0);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const bundle = JSON.parse(fs.readFileSync(out, 'utf8')) as { type: string; entry: { resource: AuditEvent }[] };
    expect(bundle.type).toBe('collection');
    expect(bundle.entry).toHaveLength(5);
    for (const { resource } of bundle.entry) {
      const ext = (name: string) => resource.extension?.find((e) => e.url.endsWith(`/chain-${name}`));
      const text = `${ext('prev-hash')?.valueString}{"body":${ext('entry')?.valueString},"seq":${ext('seq')?.valueInteger}}`;
      expect(sha256Hex(text)).toBe(ext('hash')?.valueString);
    }
    expect(bundle.entry[3]?.resource.purposeOfEvent?.[0]?.coding?.[0]?.code).toBe('BTG');
    expect(await cli(withData('audit', 'export', '--from', '2026-03-01', '--to', '2026-03-02', '--format', 'fhir', '--out', out))).toMatchObject({
      code: 1,
      err: expect.stringContaining('already exists'),
    });
  });
});

describe('audit patient', () => {
  it('lists who saw the patient, when and why, found by NHS number (spaces allowed)', async () => {
    const result = await cli(withData('audit', 'patient', '999', '000', '0018'));
    expect(result.code).toBe(0);
    const rows = result.out.trim().split('\n').slice(1);
    expect(rows).toHaveLength(4); // the fifth entry is another patient; the reason's line break made no fake row
    expect(result.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/); // only real line ends
    expect(result.out).toContain('Collapsed, no incident link\\u001b[2K\\u001b[1A\\u000d\\u000afake row\\u202e');
    expect(rows[0]).toMatch(/demo-paramedic-1\s+paramedic\s+break-glass\s+success/);
    expect(rows.some((r) => r.includes('[device clock skewed]'))).toBe(true);
    expect(lastEntryBy('ig-officer-1')).toMatchObject({ action: 'audit.report', patientId: 'pat-000001', patientNhs: NHS });
  });

  it('says so when nothing is recorded for a valid number', async () => {
    expect(await cli(withData('audit', 'patient', '9990000034'))).toMatchObject({ code: 0, out: 'No access to this patient is recorded on this device.\n' });
  });
});

describe('bad input gets a clear message, exit 1, and no echo of an NHS number', () => {
  it.each([
    [[], /Usage/],
    [['export'], /Unknown command "export"/],
    [['audit'], /Say which audit command/],
    [['audit', 'verify', '--data', '/nonexistent-onscene', '--user', 'x'], /--data folder does not exist/],
    [['audit', 'verify', '--data', 'x'], /--user is required/],
    [['audit', 'verify', '--verbose'], /Unknown option --verbose/],
    [['audit', 'export', '--from', '2026-03-01', '--to', '2026-03-02', '--format', 'xml'], /--format must be fhir or csv/],
    [['audit', 'export', '--from', '2026-03-05', '--to', '2026-03-01', '--format', 'csv'], /--from must be before --to/],
    [['audit', 'export', '--from', 'yesterday', '--to', '2026-03-01', '--format', 'csv'], /--from must be a date/],
    [['audit', 'export', '--to', '2026-03-01', '--format', 'csv'], /needs --from and --to/],
    [['audit', 'patient', '9990000019'], /not a valid NHS number/],
  ])('%j', async (argv, message) => {
    const result = await cli(argv.length > 2 && !argv.includes('--data') ? withData(...argv) : argv);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(message);
    expect(result.err).not.toContain('9990000019');
  });

  it('refuses a wrong PIN without saying which part was wrong', async () => {
    expect(await cli(withData('audit', 'verify'), { ONSCENE_PIN: '0000' })).toMatchObject({ code: 1, err: 'That user and PIN do not match this device.\n' });
  });
});

describe('who may use the audit tools: IG staff and administrators, by the role their online sign-in recorded', () => {
  const ONLY_IG = 'Only information governance staff and administrators can use the audit tools';

  /** The database file as the disk holds it; SQLite's -wal/-shm exist only while a connection has it open. */
  function databaseOnDisk(dir: string) {
    const file = path.join(dir, 'onscene.sqlite');
    const { mtimeMs, size } = fs.statSync(file);
    return { sha256: createHash('sha256').update(fs.readFileSync(file)).digest('hex'), mtimeMs, size, files: fs.readdirSync(dir).sort() };
  }

  /**
   * Watches the data folder while `action` runs: opening the WAL database creates its -shm and
   * -wal files (and closing removes them), so even an open that only read would show here.
   */
  async function databaseFileEvents(dir: string, action: () => Promise<void>): Promise<string[]> {
    const seen: string[] = [];
    const watcher = fs.watch(dir, (event, name) => {
      if (name?.startsWith('onscene.sqlite')) seen.push(`${event} ${name}`);
    });
    try {
      await action();
      await new Promise((resolve) => setTimeout(resolve, 150)); // let the file events queued meanwhile arrive
    } finally {
      watcher.close();
    }
    return seen;
  }

  it('refuses a paramedic with the right PIN, naming the role, without opening the database', async () => {
    const before = databaseOnDisk(dataDir);
    expect(before.files).not.toContain('onscene.sqlite-wal');
    const refusal = `${ONLY_IG}; demo-paramedic-1 is signed up as a paramedic. The audit trail was not opened.\n`;
    const out = path.join(dataDir, 'paramedic-export.csv');
    const asParamedic = (...args: string[]) => [...args, '--data', dataDir, '--user', 'demo-paramedic-1'];
    // export and patient append their own audit entry once the file is open, so an opened file would change.
    const events = await databaseFileEvents(dataDir, async () => {
      for (const argv of [
        asParamedic('audit', 'verify'),
        asParamedic('audit', 'patient', NHS),
        asParamedic('audit', 'export', '--from', '2026-03-01', '--to', '2026-03-05', '--format', 'csv', '--out', out),
      ]) {
        expect(await cli(argv)).toEqual({ code: 1, out: '', err: refusal });
      }
    });
    expect(events).toEqual([]);
    expect(databaseOnDisk(dataDir)).toEqual(before);
    expect(fs.existsSync(out)).toBe(false);
    // The watch does see an open: the administrator's verify only reads, yet shows.
    const adminEvents = await databaseFileEvents(dataDir, async () => {
      expect(await cli(withData('audit', 'verify'))).toMatchObject({ code: 0 });
    });
    expect(adminEvents.join('\n')).toMatch(/onscene\.sqlite-(wal|shm)/);
  });

  it('refuses a user with a key wrap but no entry in the staff directory', async () => {
    const before = databaseOnDisk(dataDir);
    let result = { code: -1, out: '', err: '' };
    const events = await databaseFileEvents(dataDir, async () => {
      result = await cli(['audit', 'patient', NHS, '--data', dataDir, '--user', 'not-listed-1'], { ONSCENE_PIN: NOT_LISTED_PIN });
    });
    expect(events).toEqual([]);
    expect(result).toMatchObject({ code: 1, out: '' });
    expect(result.err).toBe(
      `${ONLY_IG}; not-listed-1 is not in this device's staff directory, so their role is not known here. ` +
        'Sign in to OnScene online on this device once, so the central record can confirm the role. The audit trail was not opened.\n',
    );
    expect(databaseOnDisk(dataDir)).toEqual(before);
  });

  it('checks the PIN before the role: a paramedic id with a wrong PIN gets only the wrong-PIN message', async () => {
    const result = await cli(['audit', 'verify', '--data', dataDir, '--user', 'demo-paramedic-1'], { ONSCENE_PIN: '0000' });
    expect(result).toEqual({ code: 1, out: '', err: 'That user and PIN do not match this device.\n' });
  });

  it('says a key file sealed by the desktop app cannot be opened here, before any PIN, and changes nothing', async () => {
    const sealedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-cli-sealed-'));
    try {
      // Stands in for Electron safeStorage (it cannot run here): AES-GCM under a key only it holds.
      const osKey = randomBytes(32);
      const osKeyStore: KeyProtector = {
        kind: 'electron-safeStorage:gnome_libsecret',
        seal(plain) {
          const iv = randomBytes(12);
          const c = createCipheriv('aes-256-gcm', osKey, iv);
          const body = Buffer.concat([c.update(plain), c.final()]);
          return Buffer.concat([iv, c.getAuthTag(), body]);
        },
        unseal(sealed) {
          const d = createDecipheriv('aes-256-gcm', osKey, sealed.subarray(0, 12));
          d.setAuthTag(sealed.subarray(12, 28));
          return Buffer.concat([d.update(sealed.subarray(28)), d.final()]);
        },
      };
      await enrolUsersDirectly(sealedDir, [{ userId: 'ig-officer-1', pin: PIN, displayName: 'IG Officer', role: 'administrator', vehicle: null, practitionerId: null }], new Date(), osKeyStore);
      const sealedKey = (await openKeyVault(sealedDir, osKeyStore).unlock('ig-officer-1', PIN))!;
      const created = openConnection({ directory: sealedDir, key: sealedKey }, 'onscene').db;
      createAuditLog(created).appendMany([fact(1)]);
      created.close();
      const keysBefore = fs.readFileSync(path.join(sealedDir, 'keys.json'), 'utf8');
      expect(JSON.parse(keysBefore)).toMatchObject({ version: 2, sealedBy: 'electron-safeStorage:gnome_libsecret' });
      const dbBefore = databaseOnDisk(sealedDir);

      const message =
        "The key file in this data folder is sealed by the OnScene desktop app with the operating system's key store " +
        '(electron-safeStorage:gnome_libsecret), which this command line cannot open. Run the audit tools from inside the installed OnScene, ' +
        'on the computer and user account where the desktop app sealed it. Nothing was changed.\n';
      const argv = ['audit', 'verify', '--data', sealedDir, '--user', 'ig-officer-1'];
      expect(await cli(argv)).toEqual({ code: 1, out: '', err: message });
      // No PIN at all (none set, stdin empty): the same answer, so no PIN was asked for or tried.
      expect(await cli(argv, {})).toEqual({ code: 1, out: '', err: message });
      expect(fs.readFileSync(path.join(sealedDir, 'keys.json'), 'utf8')).toBe(keysBefore);
      expect(databaseOnDisk(sealedDir)).toEqual(dbBefore);
    } finally {
      fs.rmSync(sealedDir, { recursive: true, force: true });
    }
  });
});

describe('entries the central record refused (issue #10 item 2)', () => {
  it('verify and export say how many are set aside and list their seq, action and user', async () => {
    const file = openAuditFile({ directory: dataDir, key });
    try {
      file.log.quarantine(4, 400, '2026-03-20T11:00:00.000Z'); // the break-glass with control characters
    } finally {
      file.close();
    }
    const verify = await cli(withData('audit', 'verify'));
    expect(verify.code).toBe(0);
    expect(verify.out).toContain('SET ASIDE: 1 entry is NOT in the central audit');
    expect(verify.out).toMatch(/ {2}entry 4 {2}break-glass {2}demo-paramedic-1 {2}recorded 2026-03-04T10:00:00\.000Z {2}\(refused with HTTP 400\)/);
    const exported = await cli(withData('audit', 'export', '--from', '2026-03-01', '--to', '2026-03-02', '--format', 'csv'));
    expect(exported.err).toMatch(/SET ASIDE: 1 entry[^\n]*\n {2}entry 4 {2}break-glass {2}demo-paramedic-1/);
  });
});

describe('the npm run onscene entry point', () => {
  it('reports a broken chain with exit 2, reading the PIN from stdin', () => {
    const attacker = openConnection({ directory: dataDir, key }, 'onscene').db;
    try {
      for (const name of attacker.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all() as string[]) attacker.exec(`DROP TRIGGER "${name}"`);
      attacker.prepare('DELETE FROM audit_log WHERE seq = 3').run();
    } finally {
      attacker.close();
    }
    const run = spawnSync(process.execPath, ['--experimental-websocket', '--import', 'tsx', 'main/cli.ts', ...withData('audit', 'verify')], {
      cwd: repoRoot,
      input: `${PIN}\n`,
      env: { ...process.env, ONSCENE_PIN: '' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/^Audit trail BROKEN at entry 3: an entry is missing \(deleted\) \(gap\)\./);
  });
});
