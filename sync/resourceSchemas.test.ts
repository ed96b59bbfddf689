import { describe, expect, it } from 'vitest';
import { validateIncoming, validateOutgoing } from './resourceSchemas';

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

const META = { lastUpdated: '2026-11-24T10:00:00.000Z', versionId: '1' };
const of = (resource: Record<string, unknown>) => validateIncoming({ meta: META, id: 'r1', ...resource }, BASE);

describe('validateIncoming: the shapes issue #11 reads (never quarantine a valid R4 shape)', () => {
  it('accepts each new type in its minimal valid R4 form, references R4 lets point elsewhere included', () => {
    const valid: Record<string, unknown>[] = [
      { resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject: { reference: 'Group/g1' }, medicationCodeableConcept: { text: 'Aspirin' } },
      { resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/p1' }, medicationReference: { reference: '#med1' }, contained: [{ resourceType: 'Medication', id: 'med1' }] },
      { resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/p1' }, medicationReference: { display: 'Adrenaline auto-injector' } },
      { resourceType: 'Medication' },
      { resourceType: 'QuestionnaireResponse', status: 'completed' },
      { resourceType: 'Encounter', status: 'finished', class: { display: 'ambulatory' } },
      { resourceType: 'Procedure', status: 'completed', subject: { reference: 'Patient/p1' } },
      { resourceType: 'Immunization', status: 'not-done', vaccineCode: { text: 'Influenza' }, patient: { reference: 'Patient/p1' } },
      { resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { url: 'https://docs.example/1.pdf' } }] },
      { resourceType: 'RelatedPerson', patient: { reference: 'Patient/p1' } },
      { resourceType: 'CareTeam' },
    ];
    for (const r of valid) expect(of(r).isValid, JSON.stringify(r)).toBe(true);
  });

  it('sets aside what R4 itself refuses, naming the path', () => {
    expect(of({ resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/p1' } })).toMatchObject({ isValid: false, issues: expect.stringContaining('medication[x]') });
    expect(of({ resourceType: 'Immunization', status: 'given', vaccineCode: {}, patient: { reference: 'Patient/p1' } })).toMatchObject({ isValid: false, patientId: 'p1' });
    expect(of({ resourceType: 'DocumentReference', status: 'current', content: [] }).isValid).toBe(false);
    expect(of({ resourceType: 'QuestionnaireResponse', status: 'done' }).isValid).toBe(false);
  });

  it('rewrites an absolute medicationReference to our server relative, like a patient reference', () => {
    const checked = of({ resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject: { reference: `${BASE}/Patient/p1` }, medicationReference: { reference: `${BASE}/Medication/m1` } });
    expect(checked.isValid && (checked.resource as { medicationReference?: { reference?: string } }).medicationReference?.reference).toBe('Medication/m1');
  });

  it('still holds what this device records to its own standard', () => {
    expect(validateOutgoing({ resourceType: 'Encounter', id: 'e1', status: 'finished', class: { display: 'field' }, subject: { reference: 'Patient/p1' } }).isValid).toBe(false);
    expect(validateOutgoing({ resourceType: 'Encounter', id: 'e1', status: 'finished', class: { code: 'FLD' }, subject: { reference: 'Patient/p1' } }).isValid).toBe(true);
  });
});
