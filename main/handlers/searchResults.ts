import type { Patient } from '@medplum/fhirtypes';
import { type AccessPurpose, type AccessSubject, decideAccess } from '../../core/access';
import { matchReasons, partialAddress } from '../../core/patientSearch';
import type { PatientMatchView, PatientQuery } from '../../core/patientSearchViews';
import { ageText } from '../../core/triageRules';
import type { LocalStore } from '../../db/localStore';
import { type IndexMatch, compareMatches, matchResource } from '../../db/patientIndex';
import { createScopeRepo } from '../../db/scopeRepo';

export type CentralOutcome = Readonly<{ state: 'searched' | 'offline' | 'failed' | 'not-asked'; message: string; patients: readonly IndexMatch[] }>;

/** The query as the audit keeps it (BALP PatientQuery: entity.query), fields in a fixed order. */
export function queryText(query: PatientQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  return params.toString();
}

/** Central matches (SyncEngine.searchPatients) not already on the device, matched and explained like local ones. */
export function centralMatches(found: readonly Patient[], query: PatientQuery, now: Date, onDevice: ReadonlySet<string>): IndexMatch[] {
  return found.filter((p: Patient) => p.id && !onDevice.has(p.id)).flatMap((p) => matchResource(p, query, now) ?? []);
}

const SCOPE_LABELS: Readonly<Record<string, string>> = {
  incident: 'On an incident on this device',
  area: 'Area caseload with an active care plan',
  search: 'Opened by search (kept for 12 hours)',
};

type BuildInput = Readonly<{
  store: LocalStore;
  subject: AccessSubject;
  purpose: AccessPurpose;
  now: Date;
  local: readonly IndexMatch[];
  central: readonly IndexMatch[];
}>;

/**
 * The result list: local and central matches merged and ranked by fields matched. Whether each may
 * be opened is the access rule's answer for this user and purpose; until it may, a result carries
 * only name, age, partial address and why it matched (`details` null).
 */
export async function buildMatchViews(input: BuildInput): Promise<PatientMatchView[]> {
  const all = [...input.local.map((m) => ({ m, isOnDevice: true })), ...input.central.map((m) => ({ m, isOnDevice: false }))];
  all.sort((a, b) => compareMatches(a.m, b.m));
  const scopes = createScopeRepo(input.store);
  return Promise.all(
    all.slice(0, 50).map(async ({ m, isOnDevice }): Promise<PatientMatchView> => {
      const id = m.patient.patientId;
      const canOpen = decideAccess(input.subject, id, input.purpose, input.now).allowed;
      const holds = isOnDevice && canOpen ? ((await scopes.get(id))?.holds ?? []) : [];
      const cachedBecause = !isOnDevice ? [] : m.summary.isUnverified ? ['Created on this device'] : [...new Set(holds.map((h) => SCOPE_LABELS[h.scope] ?? 'Held on this device'))];
      return {
        patientId: id,
        name: m.summary.name,
        age: ageText(m.patient.birthDate, input.now),
        partialAddress: partialAddress(m.patient.postcodeOutward),
        matchReasons: matchReasons(m.fields),
        matchedFields: m.count,
        isOnDevice,
        isIdentityVerified: !m.summary.isUnverified,
        needsBreakGlass: !canOpen,
        details: canOpen
          ? { nhsNumber: m.patient.nhsNumber, otherIdentifiers: [...m.summary.otherIdentifiers].slice(0, 10), birthDate: m.patient.birthDate, gender: m.summary.gender, cachedBecause: cachedBecause.length ? cachedBecause : isOnDevice ? ['Held on this device'] : [] }
          : null,
      };
    }),
  );
}
