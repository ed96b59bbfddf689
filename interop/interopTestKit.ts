import { randomBytes } from 'node:crypto';
import type { Resource } from '@medplum/fhirtypes';
import { SYSTEMS } from '../core/fhirCodes';
import { DEMO_VEHICLE } from '../sandbox/demoCast';
import { generateDataset } from '../sandbox/generate';
import { type Sandbox, startSandbox } from '../sandbox/server';

/**
 * The central record an interop test runs against: the FHIR server named by ONSCENE_INTEROP_CENTRAL
 * (`npm run test:interop -- --central <url>`), or else a sandbox of our own on 127.0.0.1. Tests
 * talk to it over standard REST only; `sandbox` is set only for the sandbox, whose fault switch the
 * sandbox-only cases use.
 */
export type Central = Readonly<{
  kind: 'sandbox' | 'external';
  baseUrl: string;
  /** Sent on every request when set (the sandbox's service token, or ONSCENE_INTEROP_TOKEN). */
  bearerToken: string | undefined;
  sandbox: Sandbox | null;
  rest: CentralRest;
  close(): Promise<void>;
}>;

export type StoredResource = Resource & { id: string; meta?: { versionId?: string; lastUpdated?: string } };

export type CentralRest = Readonly<{
  read<T extends Resource = StoredResource>(type: string, id: string): Promise<(T & { id: string }) | null>;
  put<T extends Resource>(resource: T & { id: string }, ifMatch?: string): Promise<T & { id: string }>;
  /** Deletes; returns the HTTP status (a real server may refuse with 409 while something references it). */
  remove(type: string, id: string): Promise<number>;
  search<T extends Resource = StoredResource>(query: string): Promise<(T & { id: string })[]>;
  /** A transaction Bundle; throws with the server's status when refused. */
  transaction(entries: readonly Record<string, unknown>[]): Promise<Record<string, unknown>>;
}>;

export const INTEROP_ENV = 'ONSCENE_INTEROP_CENTRAL';

export function createRest(baseUrl: string, bearerToken: string | undefined): CentralRest {
  const base = baseUrl.replace(/\/+$/, '');
  async function request(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
    const response = await fetch(path.startsWith('http') ? path : `${base}/${path}`, {
      method,
      headers: {
        accept: 'application/fhir+json',
        // Also on a body-less DELETE: the sandbox refuses any write without FHIR JSON's media type.
        'content-type': 'application/fhir+json',
        ...(bearerToken ? { authorization: `Bearer ${bearerToken}` } : {}),
        ...extra,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as unknown) : null };
  }
  const fail = (what: string, r: { status: number; json: unknown }) => new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.json).slice(0, 400)}`);
  return {
    async read(type, id) {
      const r = await request('GET', `${type}/${encodeURIComponent(id)}`);
      if (r.status === 404 || r.status === 410) return null;
      if (r.status !== 200) throw fail(`read ${type}`, r);
      return r.json as never;
    },
    async put(resource, ifMatch) {
      const r = await request('PUT', `${resource.resourceType}/${encodeURIComponent(resource.id)}`, resource, { prefer: 'return=representation', ...(ifMatch ? { 'if-match': ifMatch } : {}) });
      if (r.status !== 200 && r.status !== 201) throw fail(`put ${resource.resourceType}`, r);
      return r.json as never;
    },
    async remove(type, id) {
      return (await request('DELETE', `${type}/${encodeURIComponent(id)}`)).status;
    },
    async search(query) {
      const found: never[] = [];
      let next: string | null = query;
      while (next) {
        const r = await request('GET', next);
        if (r.status !== 200) throw fail(`search ${query}`, r);
        const bundle = r.json as { entry?: { resource?: never; search?: { mode?: string } }[]; link?: { relation: string; url: string }[] };
        for (const e of bundle.entry ?? []) if (e.resource && (e.search?.mode ?? 'match') === 'match') found.push(e.resource);
        next = bundle.link?.find((l) => l.relation === 'next')?.url ?? null;
      }
      return found;
    },
    async transaction(entries) {
      const r = await request('POST', '', { resourceType: 'Bundle', type: 'transaction', entry: entries }, { prefer: 'return=minimal' });
      if (r.status !== 200) throw fail('transaction', r);
      return r.json as Record<string, unknown>;
    },
  };
}

/** Opens the central record for one test file; a sandbox of our own unless ONSCENE_INTEROP_CENTRAL is set. */
export async function openCentral(options: Readonly<{ patients?: number }> = {}): Promise<Central> {
  const url = process.env[INTEROP_ENV];
  if (url) {
    const token = process.env.ONSCENE_INTEROP_TOKEN || undefined;
    return { kind: 'external', baseUrl: url.replace(/\/+$/, ''), bearerToken: token, sandbox: null, rest: createRest(url, token), close: async () => {} };
  }
  const sandbox = await startSandbox({ patients: options.patients ?? 12, seed: 5 });
  return { kind: 'sandbox', baseUrl: sandbox.baseUrl, bearerToken: sandbox.serviceToken, sandbox, rest: createRest(sandbox.baseUrl, sandbox.serviceToken), close: () => sandbox.close() };
}

/** Staff and organisations are shared by every run (written as the seed writes them); everything else is the run's own. */
const SHARED_TYPES = new Set(['Organization', 'Practitioner', 'PractitionerRole']);

/**
 * The demo cast (4 demo patients, the issue #11 shapes, their incidents and vehicles) under ids of
 * this run's own (`pat-000001-<ns>`), so a suite can change and delete them on a shared server, run
 * again, and never meet another run's data. The vehicles' callsigns get the suffix too.
 */
export type Fixture = Readonly<{
  ns: string;
  /** The run's id for a generator id: fixture.id('pat-000001') → 'pat-000001-<ns>'. */
  id(generatorId: string): string;
  vehicle(callsign?: string): string;
  resources: readonly Resource[];
}>;

export function makeFixture(ns = randomBytes(4).toString('hex')): Fixture {
  const source = generateDataset({ patients: 4, seed: 1 });
  const shared = new Set(source.filter((r) => SHARED_TYPES.has(r.resourceType)).map((r) => `${r.resourceType}/${r.id}`));
  const id = (generatorId: string) => `${generatorId}-${ns}`;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (!value || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const match = k === 'reference' && typeof v === 'string' ? /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]+)$/.exec(v) : null;
      out[k] = match && !shared.has(v as string) ? `${match[1]}/${id(match[2] as string)}` : rewrite(v);
    }
    const identifier = out as { system?: string; value?: string };
    if (identifier.system === SYSTEMS.vehicleCallsign && typeof identifier.value === 'string') identifier.value = `${identifier.value}-${ns}`;
    return out;
  };
  const resources = source.map((r) => {
    const { meta, ...rest } = r;
    const { versionId: _v, lastUpdated: _l, ...keptMeta } = meta ?? {};
    const copy = rewrite(rest) as Resource;
    if (!SHARED_TYPES.has(r.resourceType)) copy.id = id(r.id ?? '');
    return Object.keys(keptMeta).length ? { ...copy, meta: keptMeta } : copy;
  });
  return { ns, id, vehicle: (callsign = DEMO_VEHICLE) => `${callsign}-${ns}`, resources };
}

/** Writes the fixture in one transaction (references inside it resolve together on any server). */
export async function writeFixture(central: Central, fixture: Fixture = makeFixture()): Promise<Fixture> {
  await central.rest.transaction(fixture.resources.map((r) => ({ resource: r, request: { method: 'PUT', url: `${r.resourceType}/${r.id}` } })));
  return fixture;
}

/**
 * Deletes a patient the way a central record allows it: what refers to the patient first, in one
 * transaction with the patient (HAPI refuses to delete a resource something still references, 409).
 */
export async function deletePatientWhole(central: Central, patientId: string, types: readonly string[]): Promise<void> {
  const refs: string[] = [];
  // Every type listed has the standard `patient` search parameter (Task's is Task.for).
  for (const type of types) {
    for (const r of await central.rest.search(`${type}?patient=Patient/${patientId}&_count=200`)) refs.push(`${type}/${r.id}`);
  }
  await central.rest.transaction([...refs, `Patient/${patientId}`].map((url) => ({ request: { method: 'DELETE', url } })));
}
