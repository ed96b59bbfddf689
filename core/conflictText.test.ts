import { describe, expect, it } from 'vitest';
import { type ConflictVersions, conflictDetailView, valueText } from './conflictText';
import type { PatientSummary } from './views';

const PATIENT: PatientSummary = { patientId: 'p1', nhsNumber: '9991313761', name: 'Edith EXAMPLETON', birthDate: '1938-02-13', gender: 'female', address: null };
const plan = (extra: Record<string, unknown>) => ({ resourceType: 'CarePlan', id: 'cp1', status: 'active', intent: 'plan', subject: { reference: 'Patient/p1' }, title: 'End of life care plan', ...extra });
const versions = (local: Record<string, unknown> | null, server: Record<string, unknown> | null, base: Record<string, unknown> | null): ConflictVersions => ({
  conflictId: 'conflict:CarePlan/cp1:1', resourceType: 'CarePlan', resourceId: 'cp1', patientId: 'p1', at: '2026-12-03T10:05:00.000Z', local, server, base, localRecordedAt: '2026-12-03T10:01:00.000Z',
});

describe('valueText', () => {
  it('reads the FHIR shapes a plan holds in words', () => {
    expect(valueText('active')).toBe('active');
    expect(valueText({ coding: [{ system: 'x', code: 'y', display: 'Palliative care' }] })).toBe('Palliative care');
    expect(valueText({ reference: 'Practitioner/1', display: 'Dr Nair' })).toBe('Dr Nair');
    expect(valueText({ start: '2026-01-01' })).toBe('2026-01-01 to not ended');
    expect(valueText(undefined)).toBe('(none)');
    expect(valueText({ detail: { description: 'Call the hospice' } })).toBe('Call the hospice');
  });
});

describe('conflictDetailView', () => {
  it('carries both versions of every differing field, never only the field names', () => {
    const base = plan({ description: 'Comfort care', note: [{ text: 'First' }] });
    const local = plan({ description: 'Comfort care', note: [{ text: 'First' }, { text: 'Ours', authorReference: { display: 'Crew B' }, time: '2026-12-03T10:01:00Z' }] });
    const server = plan({ description: 'Comfort care at home', note: [{ text: 'First' }], meta: { versionId: '7', lastUpdated: '2026-12-03T10:03:00Z' } });
    const view = conflictDetailView(versions(local, server, base), PATIENT);
    expect(view).toMatchObject({
      title: 'Care plan: End of life care plan', patient: PATIENT, isThreeWay: true, isServerVersionMissing: false,
      device: { savedAt: '2026-12-03T10:01:00.000Z' }, central: { versionId: '7', updatedAt: '2026-12-03T10:03:00Z' }, combine: { isPossible: true, reason: null },
    });
    expect(view.fields).toEqual([
      { field: 'description', label: 'Description', kind: 'value', changedBy: 'central', local: ['Comfort care'], server: ['Comfort care at home'], items: null },
      {
        field: 'note', label: 'Notes', kind: 'list', changedBy: 'device', local: ['First', 'Ours'], server: ['First'],
        items: [{ text: 'First', by: null, at: null, side: 'both' }, { text: 'Ours', by: 'Crew B', at: '2026-12-03T10:01:00Z', side: 'device' }],
      },
    ]);
  });

  it('says why combining is not offered, and when the central version could not be read', () => {
    const refused = conflictDetailView(versions(plan({ status: 'on-hold' }), plan({ status: 'revoked' }), plan({})), PATIENT);
    expect(refused.combine).toEqual({ isPossible: false, reason: 'Both versions changed status: choose which version to keep.' });
    const missing = conflictDetailView(versions(plan({ description: 'x' }), null, null), PATIENT);
    expect(missing).toMatchObject({ isServerVersionMissing: true, isThreeWay: false, combine: { isPossible: false } });
    expect(missing.fields[0]).toMatchObject({ field: 'description', local: ['x'], server: [] });
  });
});
