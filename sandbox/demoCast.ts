import { type StaffRole } from '../core/fhirCodes';

/** The crew's vehicle in the demo: its incidents are the ones the app shows first. */
export const DEMO_VEHICLE = 'K101';
/** A second vehicle whose incident a K101 crew must not see as "assigned". */
export const OTHER_VEHICLE = 'K202';

export type DemoUser = Readonly<{
  userId: string;
  practitionerId: string;
  displayName: string;
  role: StaffRole;
  vehicle: string | null;
  /** Demo PIN, synthetic; never a real credential. */
  pin: string;
  /** Sandbox identity provider password, synthetic: always `${userId}-pass`. */
  password: string;
}>;

/**
 * NHS Spine Directory Service user id (what NHS CIS2 issues as `sub`): the demo Practitioners carry
 * it so the app can find a signed-in user's Practitioner by `identifier=<system>|<sub>`.
 */
export const SDS_USER_ID_SYSTEM = 'https://fhir.nhs.uk/Id/sds-user-id';

export const DEMO_USERS: readonly DemoUser[] = [
  { userId: 'demo-paramedic-1', practitionerId: 'prac-demo-paramedic-1', displayName: 'Alex Testwood', role: 'paramedic', vehicle: DEMO_VEHICLE, pin: '111111', password: 'demo-paramedic-1-pass' },
  { userId: 'demo-paramedic-2', practitionerId: 'prac-demo-paramedic-2', displayName: 'Sam Mockridge', role: 'paramedic', vehicle: DEMO_VEHICLE, pin: '222222', password: 'demo-paramedic-2-pass' },
  { userId: 'demo-call-handler-1', practitionerId: 'prac-demo-call-handler-1', displayName: 'Jo Sampleford', role: 'call-handler', vehicle: null, pin: '333333', password: 'demo-call-handler-1-pass' },
  { userId: 'demo-clinician-1', practitionerId: 'prac-demo-clinician-1', displayName: 'Priya Exampleton', role: 'clinician', vehicle: null, pin: '444444', password: 'demo-clinician-1-pass' },
  { userId: 'demo-admin-1', practitionerId: 'prac-demo-admin-1', displayName: 'Chris Placeholder', role: 'administrator', vehicle: null, pin: '555555', password: 'demo-admin-1-pass' },
];

/** The fixed patients every seed contains (ids do not depend on the seed or patient count). */
export const DEMO_PATIENTS = {
  /** (a) end-of-life plan with DNACPR, premises safety warning, penicillin allergy. */
  eolDnacpr: 'pat-000001',
  /** (b) sickle cell plan with a ReSPECT form that is "for CPR". */
  sickleCellForCpr: 'pat-000002',
  /** (c) no resuscitation decision at all. */
  noDecision: 'pat-000003',
  /** Incident assigned to the other vehicle (K202). */
  otherVehicle: 'pat-000004',
} as const;

export const DEMO_PATIENT_COUNT = Object.keys(DEMO_PATIENTS).length;

/**
 * Issue #11: patients carrying the shapes real central records send, every one on an incident of
 * SHAPES_VEHICLE (so the demo and the tests reach them without touching the cast above). Their
 * ids stay outside the `pat-NNNNNN` sequence: seeding them changes no other patient.
 */
export const SHAPES_VEHICLE = 'K110';
export const DEMO_SHAPES = {
  /** Prescriptions: an adrenaline auto-injector by referenced Medication, a contained Medication, a stopped one; peanut allergy with anaphylaxis listed second; an entered-in-error and an unconfirmed allergy. */
  medicines: 'pat-x01',
  /** "No known drug allergy" statement; needs a Polish interpreter; a next of kin and a care team to contact. */
  contacts: 'pat-x02',
  /** Two ended care plans and one whose content is narrative only; encounters, a procedure, immunisations, a document. */
  plansAndHistory: 'pat-x03',
  /** An end-of-life plan recorded as a QuestionnaireResponse (not for resuscitation inside it), and no Consent. */
  endOfLifeForm: 'pat-x04',
  /** Deceased (deceasedDateTime). */
  deceased: 'pat-x05',
  /** No NHS number: a hospital number only; name.text holds only the given name. */
  noNhsNumber: 'pat-x06',
  /** One Condition labelled restricted (R) and one DocumentReference very restricted (V), beside ordinary records. */
  restricted: 'pat-x07',
  /** Objects to sharing (a privacy Consent, opt-out): only the Patient may be cached. */
  sharingObjection: 'pat-x08',
} as const;

/** Active incidents (FHIR Task ids) seeded for the demo vehicle, in dispatch order. */
export const DEMO_INCIDENTS = {
  k101: ['task-000001-active', 'task-000002-active', 'task-000003-active'],
  k202: ['task-000004-active'],
} as const;

/** FHIR Device id for a vehicle callsign. */
export function vehicleDeviceId(callsign: string): string {
  return `vehicle-${callsign}`;
}
