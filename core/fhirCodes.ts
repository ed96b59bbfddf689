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
  /** What a crew added to a care plan (issue #14): plan used, a note for the plan's owner. */
  carePlanContribution: 'https://fhir.onscene.example/CodeSystem/care-plan-contribution',
  /** Whether a plan was followed when used. */
  carePlanOutcome: 'https://fhir.onscene.example/CodeSystem/care-plan-outcome',
  vehicleCallsign: 'https://fhir.onscene.example/Id/vehicle-callsign',
  incidentNumber: 'https://fhir.onscene.example/Id/incident-number',
  staffNumber: 'https://fhir.onscene.example/Id/staff-number',
  /** NHS CIS2 / Spine Directory user id: the identity provider's `sub` names the Practitioner with it. */
  sdsUserId: 'https://fhir.nhs.uk/Id/sds-user-id',
  staffRole: 'https://fhir.onscene.example/CodeSystem/staff-role',
  decisionNote: 'https://fhir.onscene.example/StructureDefinition/decision-note',
  /** HL7 v3 confidentiality (meta.security): R restricted and V very restricted are never cached. */
  confidentiality: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  /** The same code system under its pre-R4 URL, which some servers still send. */
  confidentialityLegacy: 'http://hl7.org/fhir/v3/Confidentiality',
  /** HL7 v3 ActCode: Consent.policyRule OPTOUT (https://hl7.org/fhir/R4/consent.html). */
  v3ActCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  /** HL7 v3 ActReason: Consent.provision.purpose (TREAT, ETREAT...). */
  v3ActReason: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  allergyVerification: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  /** A hospital's own patient number (the sandbox's stand-in for a local MRN system). */
  hospitalNumber: 'https://fhir.onscene.example/Id/hospital-number',
  /** The sandbox's synthetic questionnaire for an end-of-life plan recorded as a form. */
  endOfLifeQuestionnaire: 'https://fhir.onscene.example/Questionnaire/end-of-life-plan',
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

/**
 * Resource types a crew needs about a patient, in the order safety asks for them (DESIGN §4
 * "priority under weak signal"). Issue #11 adds the shapes real central records send:
 * - safety: QuestionnaireResponse, because UK records hold end-of-life plans and DNACPR/ReSPECT
 *   forms as questionnaires (UK Core's end-of-life example); last in the tier, as a record may hold
 *   many other forms and the known shapes should not wait behind them.
 * - clinical: MedicationRequest beside MedicationStatement (an active prescription is a current
 *   medicine), and RelatedPerson/CareTeam, the people to contact at the scene: small, and needed
 *   at the scene, so not left behind the history.
 * - history: past events (Encounter, Procedure, Immunization, DocumentReference metadata) with the
 *   Observations; read last, as they are the largest and least urgent.
 * Medication is not a tier type: it is not linked to a patient, and arrives with the requests and
 * statements that reference it (sync/medications.ts).
 */
export const SAFETY_TIER_TYPES = ['Consent', 'Flag', 'AllergyIntolerance', 'CarePlan', 'QuestionnaireResponse'] as const;
/** Communication (issue #14): crews' and others' additions to a care plan ("plan used", notes for its owner). */
export const CLINICAL_TIER_TYPES = ['MedicationRequest', 'MedicationStatement', 'Condition', 'RelatedPerson', 'CareTeam', 'Communication'] as const;
export const HISTORY_TIER_TYPES = ['Encounter', 'Procedure', 'Immunization', 'DocumentReference', 'Observation'] as const;
export const PATIENT_RECORD_TYPES = [...SAFETY_TIER_TYPES, ...CLINICAL_TIER_TYPES] as const;
export type PatientRecordType = (typeof PATIENT_RECORD_TYPES)[number];
/** Every patient-linked type sync fetches besides the Patient itself. */
export const ALL_RECORD_TYPES = [...SAFETY_TIER_TYPES, ...CLINICAL_TIER_TYPES, ...HISTORY_TIER_TYPES] as const;

/** SNOMED CT: no known drug allergy (situation), as AllergyIntolerance.code for "no known allergy" statements. */
export const SNOMED_NO_KNOWN_DRUG_ALLERGY = '409137002';
