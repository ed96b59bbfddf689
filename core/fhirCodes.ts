/**
 * The FHIR systems and codes OnScene reads and the sandbox writes. One place, so that the
 * synthetic central record and the view models can never drift apart.
 * UK Core has no profile for DNACPR/ReSPECT yet; we carry them as Consent (scope "adr",
 * advance directive) with provision.type deny|permit on CPR, as several UK shared care
 * records do, and name the form with our own code system.
 */
export const SYSTEMS = {
  nhsNumber: 'https://fhir.nhs.uk/Id/nhs-number',
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  consentScope: 'http://terminology.hl7.org/CodeSystem/consentscope',
  flagCategory: 'http://terminology.hl7.org/CodeSystem/flag-category',
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  resusDecision: 'https://fhir.onscene.example/CodeSystem/resuscitation-decision',
  carePlanKind: 'https://fhir.onscene.example/CodeSystem/care-plan-kind',
  vehicleCallsign: 'https://fhir.onscene.example/Id/vehicle-callsign',
  incidentNumber: 'https://fhir.onscene.example/Id/incident-number',
  staffNumber: 'https://fhir.onscene.example/Id/staff-number',
  /** NHS CIS2 / Spine Directory user id: the identity provider's `sub` names the Practitioner with it. */
  sdsUserId: 'https://fhir.nhs.uk/Id/sds-user-id',
  staffRole: 'https://fhir.onscene.example/CodeSystem/staff-role',
  decisionNote: 'https://fhir.onscene.example/StructureDefinition/decision-note',
} as const;

/** SNOMED CT: cardiopulmonary resuscitation (procedure). */
export const SNOMED_CPR = '89666000';

/** How a resuscitation decision is recorded. */
export const RESUS_DECISION_KINDS = ['dnacpr', 'respect'] as const;
export type ResusDecisionKind = (typeof RESUS_DECISION_KINDS)[number];

export const CARE_PLAN_KINDS = ['end-of-life', 'sickle-cell', 'mental-health-crisis'] as const;
export type CarePlanKind = (typeof CARE_PLAN_KINDS)[number];

export const STAFF_ROLES = ['paramedic', 'call-handler', 'clinician', 'administrator'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Resource types a crew needs about a patient, in the order safety asks for them. */
export const SAFETY_TIER_TYPES = ['Consent', 'Flag', 'AllergyIntolerance', 'CarePlan'] as const;
export const CLINICAL_TIER_TYPES = ['MedicationStatement', 'Condition'] as const;
export const PATIENT_RECORD_TYPES = [...SAFETY_TIER_TYPES, ...CLINICAL_TIER_TYPES] as const;
export type PatientRecordType = (typeof PATIENT_RECORD_TYPES)[number];
