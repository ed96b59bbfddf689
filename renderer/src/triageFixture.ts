/** Test data for the triage helpers' tests (not imported by the app). */
import { EMPTY_DISPOSITION, EMPTY_ENTRIES, EMPTY_HANDOVER, type ObservationEntries, type ObservationSetView, type SetVersion, type TriageView } from '../../contract';

const crew = { userId: 'demo-paramedic-1', name: 'Alex Testwood', practitionerId: 'prac-demo-paramedic-1' };

export const FULL_ENTRIES: ObservationEntries = {
  respirationRate: '18', spo2: '97', systolicBp: '128', diastolicBp: '80', pulse: '84', temperatureC: '37.1', onOxygen: false, consciousness: 'A',
};

export function aVersion(overrides: Partial<SetVersion> = {}): SetVersion {
  return {
    version: 1, status: 'final', entries: FULL_ENTRIES, spo2Scale: { scale: 1 }, takenAt: '2025-03-03T10:40:00+00:00',
    recordedAt: '2025-03-03T10:41:00+00:00', recordedBy: crew, reason: null, ...overrides,
  };
}

export function aSet(overrides: Partial<ObservationSetView> = {}): ObservationSetView {
  return {
    setId: 'set-1', takenAt: '2025-03-03T10:40:00+00:00', takenBy: crew, entries: EMPTY_ENTRIES, spo2Scale: { scale: 1 },
    savedAt: '2025-03-03T10:40:30+00:00', versions: [], status: 'draft', isCorrecting: false,
    news2: { isComplete: false, missing: ['respirationRate'] }, problems: [], upload: 'not-recorded', ...overrides,
  };
}

export function aView(overrides: Partial<TriageView> = {}): TriageView {
  return {
    triageId: 'triage-1',
    patient: { patientId: 'pat-000003', name: 'Sam Example', nhsNumber: '9000000009', birthDate: '1950-06-15', gender: 'female', isUnidentified: false },
    incidentId: 'task-000003-active', startedAt: '2025-03-03T10:39:00+00:00', startedBy: crew, state: 'in-progress', finishedAt: null,
    sets: [], disposition: EMPTY_DISPOSITION, checks: [], handover: { entries: EMPTY_HANDOVER, age: '74 years', signs: [], status: 'draft' },
    scale2FromRecord: null, resuscitationHeadline: 'No resuscitation decision recorded', waitingToUpload: 0, updatedAt: '2025-03-03T10:40:30+00:00',
    ...overrides,
  };
}
