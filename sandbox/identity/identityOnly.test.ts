import { type ChildProcessByStdio, spawn } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Bundle, Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEMS } from '../../core/fhirCodes';
import { DEMO_USERS, SDS_USER_ID_SYSTEM } from '../demoCast';
import { type Sandbox, startSandbox } from '../server';
import { fhir } from '../testFhir';
import { discoverClient, signIn, TestBrowser } from './browserTestKit';
import { ensureDemoStaff } from './staffRecords';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

type Child = ChildProcessByStdio<null, Readable, Readable>;

function firstLine(child: Child): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${err}`)));
  });
}

async function demoStaffOn(sb: Sandbox): Promise<{ practitioners: Practitioner[]; roles: PractitionerRole[] }> {
  const practitioners: Practitioner[] = [];
  const roles: PractitionerRole[] = [];
  for (const u of DEMO_USERS) {
    const found = await fhir<Bundle<Practitioner>>(`${sb.baseUrl}/Practitioner?identifier=${encodeURIComponent(`${SDS_USER_ID_SYSTEM}|${u.userId}`)}`);
    practitioners.push(...(found.body.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : [])));
    const role = await fhir<Bundle<PractitionerRole>>(`${sb.baseUrl}/PractitionerRole?practitioner=Practitioner/${u.practitionerId}`);
    roles.push(...(role.body.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : [])));
  }
  return { practitioners, roles };
}

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ patients: 8 });
  // Start from a server without the demo staff, so what the CLI wrote is what we find.
  for (const u of DEMO_USERS) {
    await sb.repo.deleteResource('PractitionerRole', `role-${u.practitionerId}`);
    await sb.repo.deleteResource('Practitioner', u.practitionerId);
  }
});
afterAll(() => sb.close());

describe('npm run sandbox -- --identity-only', () => {
  it('writes the demo staff to the central FHIR server, then serves sign-in for the demo users', async () => {
    expect((await demoStaffOn(sb)).practitioners).toEqual([]);
    const child = spawn(process.execPath, ['--experimental-websocket', '--import', 'tsx', 'sandbox/cli.ts', '--identity-only', '--central', sb.baseUrl], {
      cwd: repoRoot,
      env: { ...process.env, ONSCENE_CENTRAL_TOKEN: sb.serviceToken },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await firstLine(child);
      expect(line).toMatch(/^Identity provider: http:\/\/127\.0\.0\.1:\d+$/);
      const issuer = line.slice('Identity provider: '.length);

      const { practitioners, roles } = await demoStaffOn(sb);
      expect(practitioners.map((p) => p.id)).toEqual(DEMO_USERS.map((u) => u.practitionerId));
      expect(practitioners.every((p) => p.active === true)).toBe(true);
      expect(roles.map((r) => [r.active, r.code?.[0]?.coding?.[0]])).toEqual(DEMO_USERS.map((u) => [true, { system: SYSTEMS.staffRole, code: u.role }]));

      const medic = DEMO_USERS[0] as (typeof DEMO_USERS)[number];
      const { tokens } = await signIn(await discoverClient(issuer), new TestBrowser(), medic.userId, medic.password);
      expect(tokens.claims()).toMatchObject({ iss: issuer, sub: medic.userId, name: medic.displayName });
    } finally {
      const code = await new Promise<number | null>((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      });
      expect(code).toBe(0);
    }
  });

  it('is idempotent: a second run leaves one Practitioner and one role per user', async () => {
    await ensureDemoStaff(`${sb.baseUrl}/`, { bearerToken: sb.serviceToken });
    const { practitioners, roles } = await demoStaffOn(sb);
    expect(practitioners).toHaveLength(DEMO_USERS.length);
    expect(roles).toHaveLength(DEMO_USERS.length);
  });

  it('says why when the FHIR server refuses the writes (no token)', async () => {
    await expect(ensureDemoStaff(sb.baseUrl)).rejects.toThrow(/^PUT Organization\/[\w-]+ answered HTTP 401: .*Authorization: Bearer/);
  });

  it('fails with the reason when the FHIR server is not there', async () => {
    const child = spawn(process.execPath, ['--experimental-websocket', '--import', 'tsx', 'sandbox/cli.ts', '--identity-only', '--central', 'http://127.0.0.1:9/fhir'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(err).toMatch(/Could not write the demo staff to http:\/\/127\.0\.0\.1:9\/fhir/);
  });
});
