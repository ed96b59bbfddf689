import type {
  Device, ExtractResource, Identifier, Organization, Patient, Practitioner, PractitionerRole, Reference, ResourceType,
} from '@medplum/fhirtypes';
import { SYSTEMS, type StaffRole } from '../core/fhirCodes';
import { nhsCheckDigit } from '../core/nhsNumber';
import { DEMO_USERS, SDS_USER_ID_SYSTEM, vehicleDeviceId } from './demoCast';
import { type Rng } from './prng';
import {
  FAMILY_NAMES, FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, LONDON_DISTRICTS, POSTCODE_INWARD_LETTERS, STREET_NAMES,
} from './synthLists';
import { birthDateForAge } from './synthTime';

/** Zero-padded patient number used in every deterministic id (`pat-000001`). */
export function patientKey(index: number): string {
  return String(index).padStart(6, '0');
}

/**
 * NHS numbers in the 999 test range, seed-independent so demo patients keep their number.
 * Stems walk a fixed permutation of 0..999999 (7919 is coprime with 10^6, so no repeats) and
 * skip stems whose Modulus 11 check digit would be 10: no valid number exists for them.
 * `startCounter` starts further along the same walk (a second sequence that never meets the first).
 */
export function createNhsNumberSequence(startCounter = 0): () => string {
  let counter = startCounter;
  return () => {
    for (;;) {
      counter += 1;
      if (counter > 1_000_000) throw new RangeError('NHS test range exhausted');
      const stem = `999${String((counter * 7919 + 123_457) % 1_000_000).padStart(6, '0')}`;
      const check = nhsCheckDigit(stem);
      if (check !== undefined) return `${stem}${check}`;
    }
  };
}

export type PatientSeed = Readonly<{
  family: string;
  given: readonly string[];
  gender: 'male' | 'female';
  ageYears: number;
}>;

/** Random identity for an area caseload patient; ages skew old, as ambulance caseloads do. */
export function randomPatientSeed(rng: Rng): PatientSeed {
  const gender = rng.chance(0.5) ? 'female' : 'male';
  const names = gender === 'female' ? FIRST_NAMES_FEMALE : FIRST_NAMES_MALE;
  const given = rng.chance(0.3) ? [rng.pick(names), rng.pick(names)] : [rng.pick(names)];
  const ageYears = rng.chance(0.55) ? rng.int(65, 101) : rng.int(1, 64);
  return { family: rng.pick(FAMILY_NAMES), given, gender, ageYears };
}

function londonPostcode(rng: Rng): string {
  const letters = POSTCODE_INWARD_LETTERS;
  const letter = (): string => letters.charAt(rng.int(0, letters.length - 1));
  return `${rng.pick(LONDON_DISTRICTS)} ${rng.int(1, 9)}${letter()}${letter()}`;
}

/** Builds a Patient with the encoding the app reads (identifier, official name, address). */
export function buildPatient(rng: Rng, index: number, nhsNumber: string, seed: PatientSeed): Patient {
  const line = [`${rng.int(1, 240)} ${rng.pick(STREET_NAMES)}`];
  if (rng.chance(0.3)) line.unshift(`Flat ${rng.int(1, 40)}`);
  return {
    resourceType: 'Patient',
    id: `pat-${patientKey(index)}`,
    identifier: [{ system: SYSTEMS.nhsNumber, value: nhsNumber }],
    name: [{ use: 'official', family: seed.family, given: [...seed.given] }],
    gender: seed.gender,
    birthDate: birthDateForAge(seed.ageYears, rng.int(0, 364)),
    address: [{ use: 'home', line, city: 'London', postalCode: londonPostcode(rng) }],
  };
}

export type StaffKind = 'palliative' | 'gp' | 'haematology' | 'mental-health';

export type StaffMember = Readonly<{ id: string; display: string; kind: StaffKind }>;

export const ORGANIZATIONS = {
  ambulance: { id: 'org-ambulance', name: 'Sandbox Ambulance Service (synthetic)' },
  hospice: { id: 'org-hospice', name: 'Example Hospice (synthetic)' },
  gp: { id: 'org-gp', name: 'Placeholder Medical Centre (synthetic)' },
  haematology: { id: 'org-haematology', name: 'Sample Haematology Centre (synthetic)' },
  mentalHealth: { id: 'org-mental-health', name: 'Mockridge Mental Health Service (synthetic)' },
  hospital: { id: 'org-hospital', name: 'Example General Hospital (synthetic)' },
} as const;

const KIND_ORG: Readonly<Record<StaffKind, string>> = {
  palliative: ORGANIZATIONS.hospice.id,
  gp: ORGANIZATIONS.gp.id,
  haematology: ORGANIZATIONS.haematology.id,
  'mental-health': ORGANIZATIONS.mentalHealth.id,
};

/** A literal reference `Type/id`, typed by its target so builders cannot point at the wrong type. */
export function reference<K extends ResourceType>(resourceType: K, id: string, display?: string): Reference<ExtractResource<K>> {
  return display === undefined ? { reference: `${resourceType}/${id}` } : { reference: `${resourceType}/${id}`, display };
}

export function buildOrganizations(): Organization[] {
  return Object.values(ORGANIZATIONS).map((o) => ({ resourceType: 'Organization', id: o.id, active: true, name: o.name }));
}

type PractitionerSpec = Readonly<{ id: string; staffNumber: string; given: string; family: string; prefix?: string; sdsUserId?: string }>;

function practitioner(spec: PractitionerSpec): Practitioner {
  const { id, staffNumber, given, family, prefix, sdsUserId } = spec;
  const name = prefix ? { family, given: [given], prefix: [prefix] } : { family, given: [given] };
  const identifier: Identifier[] = [{ system: SYSTEMS.staffNumber, value: staffNumber }];
  // Signed-in users are found by the IdP's `sub` (the SDS user id), as with NHS CIS2.
  if (sdsUserId !== undefined) identifier.push({ system: SDS_USER_ID_SYSTEM, value: sdsUserId });
  return { resourceType: 'Practitioner', id, active: true, identifier, name: [name] };
}

function role(practitionerId: string, organizationId: string, staffRole: StaffRole): PractitionerRole {
  return {
    resourceType: 'PractitionerRole',
    id: `role-${practitionerId}`,
    active: true,
    practitioner: reference('Practitioner', practitionerId),
    organization: reference('Organization', organizationId),
    code: [{ coding: [{ system: SYSTEMS.staffRole, code: staffRole }] }],
  };
}

/** The demo cast as Practitioner + PractitionerRole pairs (all with the ambulance service). */
export function buildDemoStaff(): (Practitioner | PractitionerRole)[] {
  return DEMO_USERS.flatMap((u, i) => {
    const [given = u.displayName, ...rest] = u.displayName.split(' ');
    return [
      practitioner({ id: u.practitionerId, staffNumber: `DEMO-${1001 + i}`, given, family: rest.join(' ') || given, sdsUserId: u.userId }),
      role(u.practitionerId, ORGANIZATIONS.ambulance.id, u.role),
    ];
  });
}

/** A pool of clinicians who author plans and decisions, one kind per organisation. */
export function buildClinicians(rng: Rng, count: number): { resources: (Practitioner | PractitionerRole)[]; staff: StaffMember[] } {
  const kinds: readonly StaffKind[] = ['palliative', 'gp', 'haematology', 'mental-health'];
  const resources: (Practitioner | PractitionerRole)[] = [];
  const staff: StaffMember[] = [];
  for (let i = 1; i <= count; i++) {
    const kind = kinds[(i - 1) % kinds.length] as StaffKind;
    const id = `prac-${String(i).padStart(4, '0')}`;
    const given = rng.pick(rng.chance(0.5) ? FIRST_NAMES_FEMALE : FIRST_NAMES_MALE);
    const family = rng.pick(FAMILY_NAMES);
    resources.push(practitioner({ id, staffNumber: `STAFF-${20000 + i}`, given, family, prefix: 'Dr' }), role(id, KIND_ORG[kind], 'clinician'));
    staff.push({ id, display: `Dr ${given} ${family}`, kind });
  }
  return { resources, staff };
}

/** Vehicles are Devices identified by callsign. */
export function buildVehicle(callsign: string): Device {
  return {
    resourceType: 'Device',
    id: vehicleDeviceId(callsign),
    status: 'active',
    identifier: [{ system: SYSTEMS.vehicleCallsign, value: callsign }],
    deviceName: [{ name: `Ambulance ${callsign}`, type: 'user-friendly-name' }],
  };
}
