import { describe, expect, it } from 'vitest';
import { isReplacedPatient, linkedVersion, repointReferences, replacedTemporaryPatient, restoredTemporaryPatient } from './triageLink';

const obs = (status: string) => ({ resourceType: 'Observation', id: 'o1', status, subject: { reference: 'Patient/temp' }, derivedFrom: [{ reference: 'Observation/o0' }], note: [{ text: 'Patient/temp in text stays' }] });

describe('linking a temporary identity (issue #13)', () => {
  it('re-points every reference to the temporary Patient, and nothing else', () => {
    expect(repointReferences(obs('final'), 'temp', 'real')).toEqual({ ...obs('final'), subject: { reference: 'Patient/real' } });
  });

  it('amends what was uploaded, within the append-only rules', () => {
    expect(linkedVersion(obs('final'), 'temp', 'real')).toMatchObject({ status: 'amended', subject: { reference: 'Patient/real' } });
    expect(linkedVersion(obs('entered-in-error'), 'temp', 'real')).toBeNull();
    expect(linkedVersion({ resourceType: 'Encounter', status: 'in-progress', subject: { reference: 'Patient/temp' } }, 'temp', 'real')).toMatchObject({ status: 'in-progress', subject: { reference: 'Patient/real' } });
    expect(linkedVersion({ resourceType: 'Encounter', status: 'finished', subject: { reference: 'Patient/temp' } }, 'temp', 'real')).toBeNull();
    expect(linkedVersion({ resourceType: 'Composition', status: 'final', subject: { reference: 'Patient/temp' } }, 'temp', 'real')).toMatchObject({ status: 'amended' });
  });

  it('marks the temporary Patient replaced-by the real one, and undoes it', () => {
    const temp = { resourceType: 'Patient' as const, id: 'temp', active: true };
    const replaced = replacedTemporaryPatient(temp, 'real');
    expect(replaced).toMatchObject({ active: false, link: [{ type: 'replaced-by', other: { reference: 'Patient/real' } }] });
    expect(isReplacedPatient(replaced)).toBe(true);
    expect(restoredTemporaryPatient(replaced)).toEqual(temp);
  });
});
