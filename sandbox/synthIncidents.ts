import type { Observation, Task } from '@medplum/fhirtypes';
import { SYSTEMS } from '../core/fhirCodes';
import { vehicleDeviceId } from './demoCast';
import { type Rng } from './prng';
import { reference } from './synthPeople';
import { isoInstant } from './synthTime';

export type IncidentSpec = Readonly<{
  id: string;
  incidentNumber: string;
  patientId: string;
  vehicle: string;
  status: 'ready' | 'in-progress' | 'completed';
  priority: 'stat' | 'asap' | 'urgent';
  description: string;
  authoredAtMs: number;
  lastModifiedAtMs: number;
}>;

/** CAD incident number in the control room's format, e.g. CAD-2026-000123. */
export function incidentNumber(authoredAtMs: number, serial: number): string {
  return `CAD-${new Date(authoredAtMs).getUTCFullYear()}-${String(serial).padStart(6, '0')}`;
}

/** An incident is a Task owned by the vehicle (Device) it is assigned to. */
export function buildIncident(spec: IncidentSpec): Task {
  return {
    resourceType: 'Task',
    id: spec.id,
    identifier: [{ system: SYSTEMS.incidentNumber, value: spec.incidentNumber }],
    status: spec.status,
    intent: 'order',
    priority: spec.priority,
    code: { text: 'Emergency ambulance response' },
    description: spec.description,
    for: reference('Patient', spec.patientId),
    owner: reference('Device', vehicleDeviceId(spec.vehicle), `Ambulance ${spec.vehicle}`),
    authoredOn: isoInstant(spec.authoredAtMs),
    lastModified: isoInstant(spec.lastModifiedAtMs),
  };
}

type VitalSpec = Readonly<{ suffix: string; loinc: string; display: string; unit: string; min: number; max: number; decimals: number }>;

/** LOINC codes for the vital signs a crew records (units as text: UCUM's system is not in SYSTEMS). */
const VITALS: readonly VitalSpec[] = [
  { suffix: 'hr', loinc: '8867-4', display: 'Heart rate', unit: 'beats/min', min: 48, max: 130, decimals: 0 },
  { suffix: 'rr', loinc: '9279-1', display: 'Respiratory rate', unit: 'breaths/min', min: 10, max: 30, decimals: 0 },
  { suffix: 'spo2', loinc: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', unit: '%', min: 86, max: 100, decimals: 0 },
  { suffix: 'sbp', loinc: '8480-6', display: 'Systolic blood pressure', unit: 'mmHg', min: 85, max: 185, decimals: 0 },
  { suffix: 'dbp', loinc: '8462-4', display: 'Diastolic blood pressure', unit: 'mmHg', min: 45, max: 110, decimals: 0 },
  { suffix: 'temp', loinc: '8310-5', display: 'Body temperature', unit: 'Cel', min: 35.2, max: 39.4, decimals: 1 },
];

/** Vital signs recorded at a past attendance: the "history" tier, and most of the volume. */
export function buildVitals(rng: Rng, taskId: string, patientId: string, atMs: number): Observation[] {
  return VITALS.map((v): Observation => {
    const factor = 10 ** v.decimals;
    const value = Math.round((v.min + rng.next() * (v.max - v.min)) * factor) / factor;
    return {
      resourceType: 'Observation',
      id: `obs-${taskId.replace(/^task-/, '')}-${v.suffix}`,
      status: 'final',
      code: { text: v.display, coding: [{ system: SYSTEMS.loinc, code: v.loinc, display: v.display }] },
      subject: reference('Patient', patientId),
      effectiveDateTime: isoInstant(atMs),
      valueQuantity: { value, unit: v.unit },
    };
  });
}
