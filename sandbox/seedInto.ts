import type { Resource } from '@medplum/fhirtypes';
import { generateDataset } from './generate';

/**
 * Issue #17: the synthetic London record written into any FHIR R4 server through standard
 * transaction Bundles (PUT with the generator's ids, so a second run updates rather than
 * duplicates), for the same demo data on HAPI as on the sandbox.
 */
export type SeedIntoOptions = Readonly<{
  baseUrl: string;
  patients: number;
  seed: number;
  /** Entries per transaction; a batch only ends before a Patient, so references inside one patient's record resolve together. */
  batchSize?: number;
  bearerToken?: string;
  /** Progress lines (the CLI sends them to stderr). */
  onProgress?: (line: string) => void;
}>;

export type SeedIntoResult = Readonly<{ resources: number; patients: number; transactions: number; ms: number }>;

/** The server sets versions and times; labels (meta.security, tags) are content and stay. */
function forWrite(resource: Resource): Resource {
  const { versionId: _v, lastUpdated: _l, ...meta } = resource.meta ?? {};
  return Object.keys(meta).length ? { ...resource, meta } : (({ meta: _m, ...rest }) => rest as Resource)(resource);
}

function referencesOf(value: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) referencesOf(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string' && /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]+$/.test(v)) out.add(v);
      else referencesOf(v, out);
    }
  }
  return out;
}

/**
 * The write order with every resource that is referred to before it appears (a Medication the
 * generator makes once, for the patient who first needs it) moved to the front: a real server
 * refuses a reference to something it does not hold yet (HAPI: 400, HAPI-1094), so each
 * transaction may refer only to its own entries and to earlier transactions.
 */
export function referencedFirst(resources: readonly Resource[]): Resource[] {
  const position = new Map<string, number>(resources.map((r, i) => [`${r.resourceType}/${r.id ?? ''}`, i]));
  const hoisted = new Set<number>();
  const pending: [number, Resource][] = resources.map((r, i) => [i, r]);
  while (pending.length) {
    const [i, resource] = pending.pop() as [number, Resource];
    for (const ref of referencesOf(resource, new Set())) {
      const target = position.get(ref);
      if (target === undefined || target <= i || hoisted.has(target)) continue;
      hoisted.add(target);
      pending.push([-1, resources[target] as Resource]); // its own references must come before it, too
    }
  }
  return [...resources.filter((_, i) => hoisted.has(i)), ...resources.filter((_, i) => !hoisted.has(i))];
}

/** Splits the write order into transactions of about `size` entries, each ending before a Patient. */
export function seedBatches(resources: readonly Resource[], size: number): Resource[][] {
  const batches: Resource[][] = [];
  let current: Resource[] = [];
  for (const resource of resources) {
    if (current.length >= size && resource.resourceType === 'Patient') {
      batches.push(current);
      current = [];
    }
    current.push(resource);
  }
  if (current.length) batches.push(current);
  return batches;
}

async function postTransaction(options: SeedIntoOptions, batch: readonly Resource[]): Promise<void> {
  const bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: batch.map((r) => ({ resource: forWrite(r), request: { method: 'PUT', url: `${r.resourceType}/${r.id ?? ''}` } })),
  };
  const response = await fetch(options.baseUrl.replace(/\/+$/, ''), {
    method: 'POST',
    headers: {
      'content-type': 'application/fhir+json',
      accept: 'application/fhir+json',
      // Nothing is read back: the smallest answer the server will give.
      prefer: 'return=minimal',
      ...(options.bearerToken ? { authorization: `Bearer ${options.bearerToken}` } : {}),
    },
    body: JSON.stringify(bundle),
    signal: AbortSignal.timeout(300_000),
  });
  if (!response.ok) {
    // Synthetic data only: the server's own diagnostics are safe to repeat and say what to fix.
    const text = (await response.text()).slice(0, 600);
    throw new Error(`the server refused a transaction of ${batch.length} entries (HTTP ${response.status}): ${text}`);
  }
  await response.arrayBuffer();
}

/** Writes the whole synthetic record, batch by batch, in the generator's order; throws on the first refusal. */
export async function seedInto(options: SeedIntoOptions): Promise<SeedIntoResult> {
  const started = performance.now();
  const resources = generateDataset({ patients: options.patients, seed: options.seed });
  const batches = seedBatches(referencedFirst(resources), options.batchSize ?? 300);
  const totalPatients = resources.filter((r) => r.resourceType === 'Patient').length;
  let written = 0;
  let patients = 0;
  for (const batch of batches) {
    await postTransaction(options, batch);
    written += batch.length;
    patients += batch.filter((r) => r.resourceType === 'Patient').length;
    options.onProgress?.(`Seeded ${written} of ${resources.length} resources (${patients} of ${totalPatients} patients)`);
  }
  return { resources: written, patients, transactions: batches.length, ms: performance.now() - started };
}
