import type { Patient } from '@medplum/fhirtypes';

/**
 * Linking an unidentified patient to the patient found (issue #13), the pure half. Before upload,
 * everything recorded is moved: each queued resource's references to the temporary Patient are
 * re-pointed at the real one. After upload nothing is rewritten in place (DESIGN §4, append-only):
 * the temporary Patient gets `link` type `replaced-by` (https://hl7.org/fhir/R4/patient-definitions.html#Patient.link)
 * and each uploaded Observation and handover a new `amended` version referencing the real patient;
 * an encounter still in progress gets a new version too. What the append-only rules forbid to
 * change (a finished encounter, an entry withdrawn as entered in error) stays with the temporary
 * Patient, whose replaced-by link names the real one.
 */

/** Every `reference` to Patient/<from> anywhere in the resource, re-pointed at Patient/<to>. */
export function repointReferences<T>(value: T, fromId: string, toId: string): T {
  const from = `Patient/${fromId}`;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) out[key] = key === 'reference' && child === from ? `Patient/${toId}` : walk(child);
    return out;
  };
  return walk(value) as T;
}

/** Does the resource refer to the patient anywhere? */
export const refersTo = (value: unknown, patientId: string): boolean => JSON.stringify(value).includes(`"reference":"Patient/${patientId}"`);

const AMENDABLE_OBSERVATION = new Set(['final', 'amended', 'corrected', 'preliminary']);

/**
 * The new version of an uploaded resource that moves it to the real patient, or null when the
 * append-only rules keep it where it is (core/appendOnly.ts).
 */
export function linkedVersion(resource: Record<string, unknown>, fromId: string, toId: string): Record<string, unknown> | null {
  const status = typeof resource['status'] === 'string' ? resource['status'] : undefined;
  const moved = repointReferences(resource, fromId, toId);
  switch (resource['resourceType']) {
    case 'Observation':
      return status && AMENDABLE_OBSERVATION.has(status) ? { ...moved, status: 'amended' } : null;
    case 'Composition':
      if (status === 'preliminary') return moved;
      return status === 'final' || status === 'amended' ? { ...moved, status: 'amended' } : null;
    case 'Encounter':
      return status === 'in-progress' || status === 'arrived' || status === 'triaged' || status === 'planned' ? moved : null;
    default:
      return null;
  }
}

const REPLACED_BY = 'replaced-by';

/** The temporary Patient, now superseded by the real one. */
export function replacedTemporaryPatient(patient: Patient, toId: string): Patient {
  const others = (patient.link ?? []).filter((l) => l.type !== REPLACED_BY);
  return { ...patient, active: false, link: [...others, { other: { reference: `Patient/${toId}` }, type: REPLACED_BY }] };
}

/** The temporary Patient with the link undone (before anything of it was uploaded). */
export function restoredTemporaryPatient(patient: Patient): Patient {
  const { link, ...rest } = patient;
  const others = (link ?? []).filter((l) => l.type !== REPLACED_BY);
  return { ...rest, active: true, ...(others.length ? { link: others } : {}) };
}

/** A Patient another record replaces: kept on the device for its history, never offered as a search result. */
export const isReplacedPatient = (patient: Patient): boolean => Boolean(patient.link?.some((l) => l.type === REPLACED_BY));
