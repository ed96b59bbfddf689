import type { CarePlan } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { revisionRefusal } from './appendOnly';
import { type Contribution, contributionCommunication, contributionKindOf, planIdOf, planWithCrewNote } from './carePlanContribution';

const PLAN: CarePlan = {
  resourceType: 'CarePlan', id: 'cp1', status: 'active', intent: 'plan', subject: { reference: 'Patient/p1' },
  author: { reference: 'Practitioner/gp1', display: 'Dr Nair' }, note: [{ text: 'Existing note' }], meta: { versionId: '4' },
};
const BY = { userId: 'u1', name: 'Alex Testwood', practitionerId: 'prac-1' };
const at = '2026-12-03T10:00:00.000Z';
const contribution = (extra: Partial<Contribution>): Contribution => ({ kind: 'plan-used', outcome: 'followed', text: '', by: BY, at, incidentId: 'task-1', ...extra });

describe('care plan contributions', () => {
  it('adds information for crews as a new note at the end of the plan, attributed and timed, nothing else changed', () => {
    const updated = planWithCrewNote(PLAN, contribution({ kind: 'crew-information', outcome: null, text: 'Key safe 4321' }));
    expect(updated).toEqual({ ...PLAN, note: [{ text: 'Existing note' }, { text: 'Key safe 4321', time: at, authorReference: { reference: 'Practitioner/prac-1', display: 'Alex Testwood' } }] });
  });

  it('records "plan used" as a Communication about the plan, with the outcome, the incident and the author', () => {
    const c = contributionCommunication('comm-1', PLAN, contribution({ text: 'Family present' }));
    expect(c).toMatchObject({
      resourceType: 'Communication', id: 'comm-1', status: 'completed', subject: { reference: 'Patient/p1' }, about: [{ reference: 'CarePlan/cp1' }],
      basedOn: [{ reference: 'Task/task-1' }], sent: at, sender: { reference: 'Practitioner/prac-1', display: 'Alex Testwood' },
      payload: [{ contentString: 'Plan followed' }, { contentString: 'Family present' }],
    });
    expect(c.recipient).toBeUndefined();
    expect(contributionKindOf(c)).toBe('plan-used');
    expect(planIdOf(c)).toBe('cp1');
  });

  it('addresses a note for the owner to the plan’s author; a crew member without a practitioner record is named in words', () => {
    const c = contributionCommunication('comm-2', PLAN, contribution({ kind: 'note-for-owner', outcome: null, text: 'Please review', by: { ...BY, practitionerId: null }, incidentId: null }));
    expect(c.recipient).toEqual([PLAN.author]);
    expect(c.sender).toEqual({ display: 'Alex Testwood' });
    expect(c.basedOn).toBeUndefined();
    expect(c.reasonCode).toBeUndefined();
  });

  it('never changes a note once written, only withdraws it', () => {
    expect(revisionRefusal('Communication', 'completed', 'completed')).toBe('A note already added to a care plan cannot be changed. Add a new note instead.');
    expect(revisionRefusal('Communication', 'completed', 'entered-in-error')).toBeNull();
  });
});
