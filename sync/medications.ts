import { patientIdOf } from '../core/patientLink';
import { linkedKey } from '../db/resourceRepo';
import { FhirClientError } from './fhirClient';
import type { LinkedResource } from './privacy';
import { type StoredResource, validateEntries } from './pullType';
import type { SyncContext } from './syncContext';

/**
 * Medicines by reference (issue #11). A MedicationRequest or MedicationStatement may name its
 * medicine by a Medication resource (`medicationReference`) instead of a code; a contained one
 * (`#id`) travels inside it, but a referenced one is a resource of its own, linked to no patient,
 * so no patient search brings it. It is asked for with the page (`_include`, standard FHIR search:
 * https://hl7.org/fhir/R4/search.html#include) and whatever the server did not include is read by
 * id afterwards. Each copy is stored against the patient whose record needs it (linkedKey), so it
 * goes with that patient's purge. A Medication that cannot be had never holds the page up: the
 * request is stored regardless and the record shows it without a name.
 * Known limit: a Medication edited on its own (its requests unchanged) is refreshed the next time
 * one of those requests or statements changes or is fetched whole.
 */
const REFERRING_TYPES: ReadonlySet<string> = new Set(['MedicationRequest', 'MedicationStatement']);

/** `_include` for the types whose resources reference Medications. */
export const includesFor = (type: string): string => (REFERRING_TYPES.has(type) ? `&_include=${type}:medication` : '');

const ID = /^Medication\/([A-Za-z0-9\-.]{1,64})$/;

function referencedMedicationId(resource: StoredResource): string | null {
  const ref = (resource as { medicationReference?: { reference?: unknown } }).medicationReference?.reference;
  return typeof ref === 'string' ? (ID.exec(ref)?.[1] ?? null) : null;
}

async function readById(ctx: SyncContext, ids: readonly string[]): Promise<StoredResource[]> {
  const out: StoredResource[] = [];
  for (let i = 0; i < ids.length; i += 50) {
    const chunk = ids.slice(i, i + 50);
    let url: string | null = `Medication?_id=${chunk.map(encodeURIComponent).join(',')}&_count=${chunk.length}`;
    try {
      while (url) {
        const page = await ctx.client.page(url);
        ctx.noteServerTime(page.serverTime);
        ctx.stats.pages++;
        out.push(...(await validateEntries(ctx, page.entries)).matches.filter((r) => r.resourceType === 'Medication'));
        url = page.nextUrl;
      }
    } catch (error) {
      // No signal or no credentials end the run like any other request; anything else the server
      // will not answer (a refused search, a persistent error) leaves these medicines unnamed.
      if (!(error instanceof FhirClientError) || error.reason === 'offline' || error.reason === 'auth') throw error;
    }
  }
  return out;
}

/**
 * The Medications that `stored` requests and statements reference, one copy per patient: from the
 * page's included entries, the rest read by id.
 */
export async function referencedMedications(ctx: SyncContext, stored: readonly StoredResource[], included: readonly StoredResource[]): Promise<LinkedResource[]> {
  const wanted = new Map<string, Set<string>>();
  for (const resource of stored) {
    if (!REFERRING_TYPES.has(resource.resourceType)) continue;
    const id = referencedMedicationId(resource);
    const patientId = patientIdOf(resource);
    if (!id || !patientId) continue;
    wanted.set(id, (wanted.get(id) ?? new Set()).add(patientId));
  }
  if (wanted.size === 0) return [];
  const byId = new Map(included.filter((r) => r.resourceType === 'Medication').map((r) => [r.id, r] as const));
  for (const medication of await readById(ctx, [...wanted.keys()].filter((id) => !byId.has(id)))) byId.set(medication.id, medication);
  const out: LinkedResource[] = [];
  for (const [id, patients] of wanted) {
    const medication = byId.get(id);
    if (!medication) continue;
    for (const patientId of patients) out.push({ resource: medication, patientId, key: linkedKey('Medication', id, patientId) });
  }
  return out;
}
