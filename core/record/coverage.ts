import type { CoverageView, PatientRecordView, SectionId, WithheldView } from '../views';
import { SECTION_IDS } from '../views';
import { fhirTime, timeMs } from './common';

/** The resource types each section shows: "none" can be said of a section only when every one was covered. */
export const SECTION_TYPES: Readonly<Record<SectionId, readonly string[]>> = {
  alerts: ['Flag'],
  allergies: ['AllergyIntolerance'],
  carePlans: ['CarePlan'],
  medications: ['MedicationRequest', 'MedicationStatement'],
  conditions: ['Condition'],
  encounters: ['Encounter'],
  procedures: ['Procedure'],
  immunizations: ['Immunization'],
  documents: ['DocumentReference'],
  forms: ['QuestionnaireResponse'],
  contacts: ['RelatedPerson', 'CareTeam'],
};

/** Resource types in the words a crew uses. */
export const TYPE_WORDS: Readonly<Record<string, string>> = {
  Consent: 'resuscitation decisions and consents',
  Flag: 'alerts',
  AllergyIntolerance: 'allergies',
  CarePlan: 'care plans',
  MedicationRequest: 'prescriptions',
  MedicationStatement: 'medication records',
  Medication: 'medicine details',
  Condition: 'conditions',
  Encounter: 'encounters',
  Procedure: 'procedures',
  Immunization: 'immunisations',
  DocumentReference: 'documents',
  QuestionnaireResponse: 'forms',
  RelatedPerson: 'family and carers',
  CareTeam: 'care teams',
  Observation: 'observations',
  Patient: 'demographics',
};
export const typeWords = (type: string): string => TYPE_WORDS[type] ?? type;

/** Who to ask about restricted information: one sentence, the same everywhere. */
export const WITHHELD_CONTACT = 'Contact the patient’s GP practice or the shared care record service desk';

export type CoverageFacts = Readonly<{
  confirmedAtByType: Readonly<Record<string, string>>;
  unreadableTypes: readonly string[];
  withheld: Readonly<{ reason: 'restricted' | 'sharing-objection'; count: number; types: readonly string[] }> | null;
}>;

/** True when the withheld information may include this type (an objection to sharing withholds everything). */
export const isTypeWithheld = (facts: CoverageFacts, type: string): boolean =>
  facts.withheld !== null && facts.withheld.count > 0 && (facts.withheld.reason === 'sharing-objection' || facts.withheld.types.includes(type));

/** What can be said of one section's completeness. */
export function sectionCoverage(section: SectionId, facts: CoverageFacts): CoverageView {
  const types = SECTION_TYPES[section];
  const confirmed = types.filter((t) => facts.confirmedAtByType[t] !== undefined);
  const times = confirmed.map((t) => facts.confirmedAtByType[t] ?? '');
  const oldest = [...times].sort((a, b) => (Number.isFinite(timeMs(a)) ? timeMs(a) : -Infinity) - (Number.isFinite(timeMs(b)) ? timeMs(b) : -Infinity))[0];
  return {
    state: confirmed.length === types.length ? 'confirmed' : confirmed.length ? 'partly-downloaded' : 'not-downloaded',
    confirmedAt: fhirTime(oldest),
    notDownloaded: types.filter((t) => !confirmed.includes(t)).map(typeWords),
    hasUnreadable: types.some((t) => facts.unreadableTypes.includes(t)),
    isWithheld: types.some((t) => isTypeWithheld(facts, t)),
  };
}

export const allCoverage = (facts: CoverageFacts): PatientRecordView['coverage'] =>
  Object.fromEntries(SECTION_IDS.map((s) => [s, sectionCoverage(s, facts)])) as PatientRecordView['coverage'];

/** The withheld fact in the crew's words, with who to contact; null when nothing is withheld. */
export function withheldView(facts: CoverageFacts): WithheldView | null {
  const w = facts.withheld;
  if (!w || (w.count <= 0 && w.reason === 'restricted')) return null;
  return { reason: w.reason, count: Math.max(0, Math.trunc(w.count)), types: [...new Set(w.types.map(typeWords))].slice(0, 30), contact: WITHHELD_CONTACT };
}
