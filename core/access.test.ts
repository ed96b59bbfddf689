import { describe, expect, it } from 'vitest';
import { decideRecordAccess } from './access';
import { STAFF_ROLES } from './fhirCodes';

const assigned = new Map([['task-1', 'pat-1']]);

describe('decideRecordAccess', () => {
  it('lets a paramedic open the patient of an assigned incident, with the incident as purpose', () => {
    expect(decideRecordAccess({ role: 'paramedic', assignedIncidents: assigned }, 'pat-1', 'task-1')).toEqual({ allowed: true, purpose: 'incident task-1' });
  });
  it('refuses a paramedic a patient not linked to that incident', () => {
    expect(decideRecordAccess({ role: 'paramedic', assignedIncidents: assigned }, 'pat-2', 'task-1')).toEqual({ allowed: false, reason: 'not-assigned' });
    expect(decideRecordAccess({ role: 'paramedic', assignedIncidents: assigned }, 'pat-1', 'task-9')).toEqual({ allowed: false, reason: 'not-assigned' });
  });
  it('never gives an administrator patient data', () => {
    expect(decideRecordAccess({ role: 'administrator', assignedIncidents: assigned }, 'pat-1', 'task-1').allowed).toBe(false);
  });
  it('decides for every role without throwing', () => {
    for (const role of STAFF_ROLES) expect(() => decideRecordAccess({ role, assignedIncidents: new Map() }, 'p', 't')).not.toThrow();
  });
});
