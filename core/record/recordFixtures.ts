/**
 * Test resources in the shapes real central records send, written for OnScene after the structure
 * of the HL7 R4 examples, the UK Core examples (NHSDigital/FHIR-R4-UKCORE-STAGING-MAIN) and
 * Synthea output. Synthetic people; no published content copied. Used by core and renderer tests.
 */
import type {
  AllergyIntolerance, CarePlan, CareTeam, Consent, DocumentReference, Encounter, Flag, Immunization, Medication,
  MedicationRequest, Patient, Procedure, QuestionnaireResponse, RelatedPerson,
  Resource,
} from '@medplum/fhirtypes';
import { type Cached, type RecordContext, indexResources } from './common';

export const FIXTURE_NOW = new Date('2026-11-24T10:00:00Z');
export const FIXTURE_SYNCED_AT = '2026-11-24T09:00:00Z';
export const cachedAt = <R extends Resource>(resource: R, syncedAt = FIXTURE_SYNCED_AT): Cached<R> => ({ resource, syncedAt });
/** A reader's context over these resources, as of FIXTURE_NOW. */
export const fixtureContext = (resources: readonly Resource[] = [], confirmedAtByType: Record<string, string> = {}): RecordContext => ({
  now: FIXTURE_NOW,
  index: indexResources(resources.map((r) => cachedAt(r))),
  confirmedAtByType,
});

const SCT = 'http://snomed.info/sct';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const FIXTURE_PATIENT_REF = { reference: 'Patient/fx-patient' };

/** UK Core shape: NHS number with verification status, official name, BSL, contact with phone. */
export const ukCorePatient: Patient = {
  resourceType: 'Patient',
  id: 'fx-patient',
  extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired', valueBoolean: true }],
  identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000018' }],
  name: [
    { use: 'official', family: 'Carver', given: ['Edith', 'May'], prefix: ['Mrs'] },
    { use: 'maiden', family: 'Lowe', given: ['Edith'] },
  ],
  gender: 'female',
  birthDate: '1938-04-02',
  address: [{ line: ['12 Sample Row'], city: 'LONDON', postalCode: 'E1 6AN' }],
  contact: [{
    relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'N' }] }],
    name: { use: 'official', family: 'Carver', given: ['Tom'] },
    telecom: [{ system: 'phone', value: '07700 900123', use: 'mobile' }, { system: 'email', value: 'tom@example.org' }],
  }],
  communication: [{
    language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'bfi', display: 'British Sign Language' }] },
    preferred: true,
  }],
};

/** UK Core AllergyIntolerance-EnteredInError shape: inactive and entered-in-error, coded only. */
export const enteredInErrorAllergy: AllergyIntolerance = {
  resourceType: 'AllergyIntolerance',
  id: 'fx-allergy-eie',
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'inactive' }] },
  verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'entered-in-error' }] },
  type: 'allergy',
  category: ['medication'],
  code: { coding: [{ system: SCT, code: '372687004', display: 'Amoxicillin' }] },
  patient: FIXTURE_PATIENT_REF,
  recordedDate: '2019-12-10T13:00:00+00:00',
  recorder: { reference: 'Practitioner/fx-gose' },
};

/** Synthea shape: several reactions, the anaphylaxis listed last. */
export const peanutAllergy: AllergyIntolerance = {
  resourceType: 'AllergyIntolerance',
  id: 'fx-allergy-peanut',
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
  verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] },
  type: 'allergy',
  category: ['food'],
  criticality: 'high',
  code: { coding: [{ system: SCT, code: '91935009', display: 'Allergy to peanuts' }], text: 'Allergy to peanuts' },
  patient: FIXTURE_PATIENT_REF,
  recordedDate: '2012-05-01',
  recorder: { display: 'Dr Priya Nair' },
  reaction: [
    { manifestation: [{ coding: [{ system: SCT, code: '271807003', display: 'Eruption of skin' }] }], severity: 'mild' },
    { manifestation: [{ coding: [{ system: SCT, code: '247472004', display: 'Wheal' }] }], severity: 'moderate' },
    { manifestation: [{ coding: [{ system: SCT, code: '39579001', display: 'Anaphylaxis' }] }] },
  ],
};

export const noKnownDrugAllergy: AllergyIntolerance = {
  resourceType: 'AllergyIntolerance',
  id: 'fx-nkda',
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
  verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] },
  code: { coding: [{ system: SCT, code: '409137002', display: 'No known history of drug allergy' }] },
  patient: FIXTURE_PATIENT_REF,
  recordedDate: '2024-02-01',
};

/** Synthea shape: the epinephrine auto-injector the issue found missing, by code, dose "as needed". */
export const epinephrineRequest: MedicationRequest = {
  resourceType: 'MedicationRequest',
  id: 'fx-medreq-epi',
  status: 'active',
  intent: 'order',
  medicationCodeableConcept: { coding: [{ system: RXNORM, code: '1870230', display: 'NDA020800 0.3 ML Epinephrine 1 MG/ML Auto-Injector' }], text: 'NDA020800 0.3 ML Epinephrine 1 MG/ML Auto-Injector' },
  subject: FIXTURE_PATIENT_REF,
  authoredOn: '2012-05-01T10:00:00+01:00',
  requester: { reference: 'Practitioner/fx-nair', display: 'Dr Priya Nair' },
  dosageInstruction: [{ sequence: 1, asNeededBoolean: true }],
};

/** HL7 medicationrequest0301 shape: a contained Medication, structured dose and timing. */
export const containedMedicationRequest: MedicationRequest = {
  resourceType: 'MedicationRequest',
  id: 'fx-medreq-contained',
  contained: [{ resourceType: 'Medication', id: 'med1', code: { coding: [{ system: SCT, code: '322236009', display: 'Paracetamol 500mg tablets' }] } }],
  status: 'active',
  intent: 'order',
  medicationReference: { reference: '#med1' },
  subject: FIXTURE_PATIENT_REF,
  authoredOn: '2026-10-01',
  requester: { reference: '#prescriber' },
  dosageInstruction: [{
    doseAndRate: [{ doseQuantity: { value: 2, unit: 'tablet' } }],
    route: { coding: [{ system: SCT, code: '26643006', display: 'Oral' }] },
    timing: { repeat: { frequency: 4, period: 1, periodUnit: 'd' } },
  }],
  dispenseRequest: { validityPeriod: { start: '2026-10-01', end: '2027-04-01' } },
};

/** A Medication sent in the list, referenced by id (UK Core MedicationRequest-Example shape). */
export const timololMedication: Medication = {
  resourceType: 'Medication',
  id: 'fx-med-timolol',
  code: { coding: [{ system: SCT, code: '330755003', display: 'Timolol 0.25% eye drops' }] },
};
export const referencedMedicationRequest: MedicationRequest = {
  resourceType: 'MedicationRequest',
  id: 'fx-medreq-ref',
  status: 'active',
  intent: 'order',
  medicationReference: { reference: 'Medication/fx-med-timolol' },
  subject: FIXTURE_PATIENT_REF,
  recorder: { reference: 'Practitioner/fx-rastall', display: 'Dr Paul Rastall' },
  dosageInstruction: [{ text: 'One drop 3 times a day', timing: { repeat: { frequency: 3, period: 1, periodUnit: 'd' } } }],
};

/** UK Core Flag shape (diet), with an ended infection-control flag beside it. */
export const dietFlag: Flag = {
  resourceType: 'Flag',
  id: 'fx-flag-diet',
  text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Food Allergy Warning</div>' },
  status: 'active',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: 'diet', display: 'Diet' }], text: 'Diet' }],
  code: { coding: [{ system: SCT, code: '226201008', display: 'Peanut-free diet' }], text: 'Patient has a severe peanut allergy.' },
  subject: FIXTURE_PATIENT_REF,
  period: { start: '2019-12-10T13:00:00+00:00' },
  author: { reference: 'Practitioner/fx-rastall', display: 'Dr Paul Rastall' },
};
export const endedInfectionFlag: Flag = {
  resourceType: 'Flag',
  id: 'fx-flag-mrsa',
  status: 'active',
  category: [{ text: 'Infection control' }],
  code: { text: 'MRSA positive: barrier precautions' },
  subject: FIXTURE_PATIENT_REF,
  period: { start: '2025-01-01', end: '2025-06-01' },
};

/** HL7 R4 CarePlan examples: content only in the narrative, no description or activities. */
export const narrativeOnlyPlan: CarePlan = {
  resourceType: 'CarePlan',
  id: 'fx-plan-narrative',
  text: {
    status: 'additional',
    div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Keep at home if possible.</p><ul><li>Call the hospice&#39;s 24-hour line</li><li>Oxygen &amp; nebuliser are in the bedroom</li></ul><script>alert(1)</script></div>',
  },
  status: 'active',
  intent: 'plan',
  subject: FIXTURE_PATIENT_REF,
  author: { reference: 'Organization/fx-hospice', display: 'Sample Hospice' },
};
export const endedPlan = (id: string, end: string): CarePlan => ({
  resourceType: 'CarePlan',
  id,
  status: 'active',
  intent: 'plan',
  title: `Falls plan ${id}`,
  subject: FIXTURE_PATIENT_REF,
  period: { start: '2024-01-01', end },
});

/** A ReSPECT form as Consent: CPR denied in a nested provision, further treatments, people consulted. */
export const respectConsent: Consent = {
  resourceType: 'Consent',
  id: 'fx-consent-respect',
  status: 'active',
  scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'adr' }] },
  category: [{ text: 'ReSPECT form' }],
  patient: FIXTURE_PATIENT_REF,
  dateTime: '2026-03-04T11:30:00Z',
  performer: [{ reference: '#signer' }],
  contained: [{ resourceType: 'Practitioner', id: 'signer', name: [{ family: 'Okafor', given: ['Ngozi'], prefix: ['Dr'] }] }],
  organization: [{ display: 'Sample Street Surgery' }],
  extension: [
    { url: 'https://fhir.example.org/StructureDefinition/respect-clinical-recommendation', valueString: 'Focus on comfort; treat reversible causes at home' },
    { url: 'https://fhir.example.org/StructureDefinition/respect-preferences', extension: [{ url: 'preferredPlaceOfCare', valueString: 'Home' }] },
  ],
  verification: [{ verified: true, verifiedWith: { display: 'Tom Carver (son)' } }],
  sourceAttachment: { title: 'ReSPECT form signed 4 March 2026' },
  provision: {
    type: 'permit',
    provision: [
      { type: 'deny', code: [{ coding: [{ system: SCT, code: '89666000', display: 'Cardiopulmonary resuscitation' }] }] },
      { type: 'deny', code: [{ text: 'Intubation and ventilation' }] },
      { type: 'permit', code: [{ text: 'Antibiotics by mouth' }] },
    ],
  },
};

/** The GECCO DNR profile shape: no provision.type, the decision in the code. */
export const geccoConsent = (code: '304253006' | '304252001' | '261665006', id = `fx-gecco-${code}`): Consent => ({
  resourceType: 'Consent',
  id,
  status: 'active',
  scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'adr' }] },
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentcategorycodes', code: 'dnr', display: 'Do Not Resuscitate' }] }],
  patient: FIXTURE_PATIENT_REF,
  dateTime: '2026-09-01',
  provision: { code: [{ coding: [{ system: SCT, code }] }] },
});

/** An advance decision to refuse treatment that is not about CPR. */
export const adrtConsent: Consent = {
  resourceType: 'Consent',
  id: 'fx-adrt',
  status: 'active',
  scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'adr' }] },
  category: [{ text: 'Advance decision to refuse treatment' }],
  patient: FIXTURE_PATIENT_REF,
  dateTime: '2025-05-05',
  provision: { type: 'deny', code: [{ text: 'Blood transfusion' }] },
};

/** UK Core QuestionnaireResponse-EOLPlan shape: an end-of-life plan as a form. */
export const eolForm: QuestionnaireResponse = {
  resourceType: 'QuestionnaireResponse',
  id: 'fx-qr-eol',
  questionnaire: 'https://example.org/Questionnaire/UKCore-Questionnaire-EOLPlan-Example',
  status: 'completed',
  subject: FIXTURE_PATIENT_REF,
  authored: '2026-11-14T08:07:00+00:00',
  author: { reference: 'Practitioner/fx-gose', display: 'Dr Sandra Gose' },
  item: [
    {
      linkId: 'Q1',
      text: 'Advanced Treatment Preferences',
      item: [
        { linkId: 'Q1.1', text: 'Clinical Problems and Advised Interventions', item: [{ linkId: 'Q1.1g', text: 'ATP Problems', answer: [{ valueCoding: { system: SCT, code: '95417003', display: 'Primary fibromyalgia syndrome' } }] }] },
        { linkId: 'Q1.2', text: 'Anticipatory medicines/just in case box issued', answer: [{ valueString: 'Yes' }] },
        { linkId: 'Q1.3', text: 'Advance Decision to Refuse Treatment', answer: [{ valueString: 'Yes' }] },
      ],
    },
    { linkId: 'Q3', text: 'EOL Register', item: [{ linkId: 'Q3g', text: 'On End Of Life Register', answer: [{ valueDate: '2026-11-13' }] }] },
  ],
};

/** UK Core Encounter shape with an organisation. */
export const encounter = (id: string, start: string, status: Encounter['status'] = 'finished'): Encounter => ({
  resourceType: 'Encounter',
  id,
  status,
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER', display: 'emergency' },
  type: [{ text: 'Emergency department attendance' }],
  subject: FIXTURE_PATIENT_REF,
  period: { start },
  serviceProvider: { reference: 'Organization/fx-royal', display: 'Sample Royal Hospital' },
  reasonCode: [{ text: 'Fall at home' }],
});

export const procedure: Procedure = {
  resourceType: 'Procedure',
  id: 'fx-proc',
  status: 'completed',
  code: { coding: [{ system: SCT, code: '80146002', display: 'Appendectomy' }] },
  subject: FIXTURE_PATIENT_REF,
  performedPeriod: { start: '2013-04-05T10:30:10+01:00', end: '2013-04-05T11:30:10+01:00' },
  performer: [{ actor: { reference: 'Practitioner/fx-surgeon', display: 'Mr Alan Reed' }, onBehalfOf: { reference: 'Organization/fx-royal', display: 'Sample Royal Hospital' } }],
};

export const immunization: Immunization = {
  resourceType: 'Immunization',
  id: 'fx-imm',
  status: 'completed',
  vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '140', display: 'Influenza, seasonal, injectable, preservative free' }] },
  patient: FIXTURE_PATIENT_REF,
  occurrenceDateTime: '2026-10-10T10:00:00+01:00',
  primarySource: true,
  protocolApplied: [{ doseNumberPositiveInt: 1 }],
};

/** HL7 DocumentReference example shape: author contained, custodian, attachment title, content not fetched. */
export const dnacprDocument: DocumentReference = {
  resourceType: 'DocumentReference',
  id: 'fx-doc',
  contained: [{ resourceType: 'Practitioner', id: 'a2', name: [{ family: 'Gose', given: ['Sandra'], prefix: ['Dr'] }] }],
  status: 'current',
  docStatus: 'final',
  type: { coding: [{ system: 'http://loinc.org', code: '42348-3', display: 'Advance directives' }] },
  subject: FIXTURE_PATIENT_REF,
  date: '2026-02-01T09:00:00Z',
  author: [{ reference: '#a2' }],
  custodian: { display: 'Sample Hospice' },
  description: 'Scanned DNACPR form',
  content: [{ attachment: { contentType: 'application/pdf', url: 'https://example.org/Binary/1', title: 'DNACPR form (paper copy)' } }],
};

export const daughter: RelatedPerson = {
  resourceType: 'RelatedPerson',
  id: 'fx-rp',
  active: true,
  patient: FIXTURE_PATIENT_REF,
  relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'DAU' }] }],
  name: [{ text: 'Anne' , family: 'Carver', given: ['Anne'] }],
  telecom: [{ system: 'phone', value: '020 7946 0000', use: 'home', rank: 2 }, { system: 'phone', value: '07700 900456', use: 'mobile', rank: 1 }],
};

/** HL7 CareTeam example shape: a contained participant, a patient participant, an ended participant. */
export const careTeam: CareTeam = {
  resourceType: 'CareTeam',
  id: 'fx-team',
  status: 'active',
  name: 'Community palliative care team',
  contained: [{ resourceType: 'Practitioner', id: 'pr1', name: [{ family: 'Dietitian', given: ['Dorothy'] }], telecom: [{ system: 'phone', value: '0113 496 0000', use: 'work' }] }],
  subject: FIXTURE_PATIENT_REF,
  participant: [
    { role: [{ text: 'responsiblePerson' }], member: { reference: 'Patient/fx-patient', display: 'Edith Carver' } },
    { role: [{ text: 'Dietitian' }], member: { reference: '#pr1' }, onBehalfOf: { display: 'Sample Community Trust' } },
    { role: [{ text: 'Former key worker' }], member: { display: 'Sam Old' }, period: { end: '2020-01-01' } },
  ],
  telecom: [{ system: 'phone', value: '0300 555 0100' }],
};
