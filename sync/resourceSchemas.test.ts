import { describe, expect, it } from 'vitest';
import { validateIncoming } from './resourceSchemas';

const BASE = 'https://record.example.nhs.uk/fhir';
const consent = (reference: string, status = 'active') => ({
  resourceType: 'Consent',
  id: 'c1',
  meta: { lastUpdated: '2026-11-24T10:00:00.000Z', versionId: '1' },
  status,
  scope: { coding: [{ code: 'adr' }] },
  patient: { reference },
});

describe('validateIncoming', () => {
  it('accepts an absolute reference to the configured server and stores it relative', () => {
    const checked = validateIncoming(consent(`${BASE}/Patient/pat-1`), `${BASE}/`);
    expect(checked.isValid).toBe(true);
    if (checked.isValid) expect((checked.resource as { patient?: { reference?: string } }).patient?.reference).toBe('Patient/pat-1');
    expect(validateIncoming(consent('Patient/pat-1'), BASE).isValid).toBe(true);
  });
  it('refuses a reference to another server', () => {
    expect(validateIncoming(consent('https://elsewhere.example/fhir/Patient/pat-1'), BASE).isValid).toBe(false);
    expect(validateIncoming(consent(`${BASE}/Patient/pat-1`)).isValid).toBe(false); // no base configured: not ours to assume
  });
  it('keeps the patient of a quarantined resource when it can be read, and no values', () => {
    const checked = validateIncoming(consent(`${BASE}/Patient/pat-1`, 'bogus'), BASE);
    expect(checked).toMatchObject({ isValid: false, resourceType: 'Consent', id: 'c1', patientId: 'pat-1' });
    if (!checked.isValid) expect(checked.issues).not.toContain('bogus');
    expect(validateIncoming({ resourceType: 'Consent', id: 'c2', patient: 'not an object' }, BASE)).toMatchObject({ isValid: false, patientId: '' });
    expect(validateIncoming(null, BASE)).toMatchObject({ isValid: false, patientId: '' });
  });
});
