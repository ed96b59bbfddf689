import { describe, expect, it } from 'vitest';
import { SNOMED_CPR, SYSTEMS } from '../core/fhirCodes';
import { isRestricted, objectionUntil } from './privacy';

// The predicates of sync/privacy.ts on Consents shaped like the HL7 R4 privacy examples
// (consent-example-notOrg, -notThis, -notTime...) and the UK/NZ opt-out forms.
const NOW = Date.parse('2026-11-24T10:00:00Z');
const privacy = { coding: [{ system: SYSTEMS.consentScope, code: 'patient-privacy' }] };
const consent = (provision: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ status: 'active', scope: privacy, provision, ...extra });
const purpose = (code: string) => [{ system: SYSTEMS.v3ActReason, code }];

describe('objectionUntil', () => {
  it('reads an opt-out or a blanket deny in force as an objection, with its end', () => {
    expect(objectionUntil(consent({ type: 'deny' }, { policyRule: { coding: [{ system: SYSTEMS.v3ActCode, code: 'OPTOUT' }] } }), NOW)).toBe('');
    expect(objectionUntil(consent({ type: 'deny', period: { start: '2023-10-04' }, action: [{ coding: [{ code: 'access' }] }] }), NOW)).toBe('');
    expect(objectionUntil(consent({ type: 'deny', period: { end: '2027-01-01' } }), NOW)).toBe('2027-01-01T00:00:00.000Z');
    expect(objectionUntil(consent({ type: 'deny', purpose: purpose('TREAT') }), NOW)).toBe('');
    // Opt-out with exceptions for others (a permit root naming the GP) still excludes us.
    expect(objectionUntil(consent({ type: 'permit', actor: [{ reference: { reference: 'Organization/gp' } }] }, { policyRule: { coding: [{ system: SYSTEMS.v3ActCode, code: 'OPTOUT' }] } }), NOW)).toBe('');
    // An end that cannot be read does not end it.
    expect(objectionUntil(consent({ type: 'deny', period: { end: 'soon' } }), NOW)).toBe('');
  });

  it('does not read a narrowed deny, a deny for other purposes, or one not in force as an objection', () => {
    expect(objectionUntil(consent({ type: 'deny', actor: [{ reference: { reference: 'Organization/f001' } }] }), NOW)).toBeNull();
    expect(objectionUntil(consent({ type: 'deny', data: [{ meaning: 'related', reference: { reference: 'Task/example3' } }] }), NOW)).toBeNull();
    expect(objectionUntil(consent({ type: 'deny', dataPeriod: { start: '2015-01-01', end: '2015-06-01' } }), NOW)).toBeNull();
    expect(objectionUntil(consent({ type: 'deny', class: [{ code: 'Observation' }] }), NOW)).toBeNull();
    expect(objectionUntil(consent({ type: 'deny', purpose: purpose('HRESCH') }), NOW)).toBeNull();
    expect(objectionUntil(consent({ type: 'deny', period: { end: '2026-01-01' } }), NOW)).toBeNull();
    expect(objectionUntil(consent({ type: 'deny', period: { start: '2027-01-01' } }), NOW)).toBeNull();
    expect(objectionUntil({ ...consent({ type: 'deny' }), status: 'inactive' }, NOW)).toBeNull();
    expect(objectionUntil(consent({ type: 'permit' }), NOW)).toBeNull();
    // A DNACPR is a deny too, but about CPR and in scope adr.
    const dnacpr = { status: 'active', scope: { coding: [{ system: SYSTEMS.consentScope, code: 'adr' }] }, provision: { type: 'deny', code: [{ coding: [{ system: SYSTEMS.snomed, code: SNOMED_CPR }] }] } };
    expect(objectionUntil(dnacpr, NOW)).toBeNull();
  });
});

describe('isRestricted', () => {
  it('is R or V from the v3 Confidentiality system, under its R4 or older URL', () => {
    expect(isRestricted({ meta: { security: [{ system: SYSTEMS.confidentiality, code: 'R' }] } })).toBe(true);
    expect(isRestricted({ meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'HIV' }, { system: SYSTEMS.confidentialityLegacy, code: 'V' }] } })).toBe(true);
    expect(isRestricted({ meta: { security: [{ system: SYSTEMS.confidentiality, code: 'N' }] } })).toBe(false);
    expect(isRestricted({ meta: { security: [{ code: 'R' }] } })).toBe(false);
    expect(isRestricted({})).toBe(false);
  });
});
