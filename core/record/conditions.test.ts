import type { Condition } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { conditionViews } from './conditions';
import { cachedAt, fixtureContext } from './recordFixtures';

const status = (system: string, code: string) => ({ coding: [{ system: `http://terminology.hl7.org/CodeSystem/${system}`, code }] });
const condition = (id: string, clinical?: string, verification?: string, over: Partial<Condition> = {}): Condition => ({
  resourceType: 'Condition',
  id,
  subject: { reference: 'Patient/fx-patient' },
  code: { coding: [{ system: 'http://snomed.info/sct', code: '44054006', display: 'Diabetes mellitus type 2' }] },
  ...(clinical ? { clinicalStatus: status('condition-clinical', clinical) } : {}),
  ...(verification ? { verificationStatus: status('condition-ver-status', verification) } : {}),
  ...over,
});

describe('conditionViews', () => {
  it('shows active, recurrence and relapse as current, and marks unconfirmed, provisional and differential', () => {
    const { current } = conditionViews(
      [condition('a', 'active', 'confirmed'), condition('r', 'recurrence', 'provisional'), condition('l', 'relapse', 'differential'), condition('u', 'active', 'unconfirmed')].map((c) => cachedAt(c)),
      fixtureContext(),
    );
    expect(current.map((c) => [c.id, c.clinicalStatus, c.verification])).toEqual([
      ['a', 'active', 'confirmed'], ['r', 'recurrence', 'provisional'], ['l', 'relapse', 'differential'], ['u', 'active', 'unconfirmed'],
    ]);
  });
  it('treats resolved, inactive, remission, abated and refuted as past, and never shows entered-in-error', () => {
    const { current, past } = conditionViews(
      [
        condition('res', 'resolved'), condition('ina', 'inactive'), condition('rem', 'remission'),
        condition('abated', 'active', undefined, { abatementDateTime: '2025-01-01' }),
        condition('ref', 'active', 'refuted'), condition('err', 'active', 'entered-in-error'),
      ].map((c) => cachedAt(c)),
      fixtureContext(),
    );
    expect(current).toEqual([]);
    expect(past.map((c) => [c.id, c.verification])).toEqual([['res', null], ['ina', null], ['rem', null], ['abated', null], ['ref', 'refuted']]);
  });
  it('says who recorded it and since when', () => {
    const c = condition('a', 'active', undefined, { recorder: { display: 'Dr Paul Rastall' }, recordedDate: '2020-02-02', onsetDateTime: '2019', severity: { text: 'Moderate' } });
    expect(conditionViews([cachedAt(c)], fixtureContext()).current[0]).toMatchObject({
      text: 'Diabetes mellitus type 2', detail: 'Moderate', since: '2019', source: { by: 'Dr Paul Rastall', at: '2020-02-02' },
    });
  });
});
