import type { Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from './generate';
import { referencedFirst, seedBatches, seedInto } from './seedInto';
import { type Sandbox, startSandbox } from './server';

// The synthetic record written into another FHIR server through standard transactions (issue #17).
describe('seedBatches', () => {
  it('ends a transaction only before a Patient, so one patient’s record is never split', () => {
    const resources = generateDataset({ patients: 30, seed: 2 });
    const batches = seedBatches(resources, 50);
    expect(batches.flat()).toEqual(resources);
    expect(batches.length).toBeGreaterThan(3);
    for (const batch of batches.slice(1)) expect(batch[0]?.resourceType).toBe('Patient');
  });
});

describe('referencedFirst', () => {
  it('orders the record so that no transaction refers to a resource a later one brings (a real server refuses that)', () => {
    const resources = generateDataset({ patients: 60, seed: 1 });
    const key = (r: Resource) => `${r.resourceType}/${r.id ?? ''}`;
    const batchOf = (ordered: Resource[]) => new Map(seedBatches(ordered, 50).flatMap((batch, b) => batch.map((r) => [key(r), b] as const)));
    const forwardRefs = (ordered: Resource[]) => {
      const batch = batchOf(ordered);
      return ordered.flatMap((r) => [...JSON.stringify(r).matchAll(/"reference":"([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]+)"/g)].map((m) => m[1] as string).filter((ref) => (batch.get(ref) ?? -1) > (batch.get(key(r)) as number)));
    };
    expect(forwardRefs(resources).length).toBeGreaterThan(0); // the generator's own order has such references
    const ordered = referencedFirst(resources);
    expect(ordered).toHaveLength(resources.length);
    expect(new Set(ordered.map(key)).size).toBe(resources.length);
    expect(forwardRefs(ordered)).toEqual([]);
  });
});

describe('seedInto', () => {
  let target: Sandbox;
  beforeAll(async () => {
    target = await startSandbox({ patients: 4, seed: 9 });
  });
  afterAll(async () => target?.close());

  it('writes every generated resource with the generator’s ids, and a second run updates rather than duplicates', async () => {
    const lines: string[] = [];
    const options = { baseUrl: target.baseUrl, patients: 20, seed: 3, batchSize: 100, bearerToken: target.serviceToken, onProgress: (l: string) => lines.push(l) };
    const result = await seedInto(options);
    const expected = generateDataset({ patients: 20, seed: 3 });
    expect(result.resources).toBe(expected.length);
    expect(lines.at(-1)).toMatch(new RegExp(`^Seeded ${expected.length} of ${expected.length} resources`));
    const sample = expected.filter((r): r is Resource & { id: string } => r.resourceType === 'CarePlan' && Boolean(r.id)).slice(0, 3);
    for (const plan of sample) await expect(target.repo.readResource('CarePlan', plan.id)).resolves.toMatchObject({ id: plan.id });
    const before = target.repo.count('Patient');
    await seedInto(options);
    expect(target.repo.count('Patient')).toBe(before);
  });

  it('stops with the server’s reason when a transaction is refused', async () => {
    await expect(seedInto({ baseUrl: target.baseUrl, patients: 4, seed: 1 })).rejects.toThrow(/refused a transaction .*HTTP 401/);
  });
});
