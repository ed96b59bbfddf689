import { describe, expect, it } from 'vitest';
import { SECTION_WORDS, contentTypeLabel, emptyText, formatWhen, incompleteText, pastCountText, provenanceText, statusLabel, verificationLabel } from './recordText';

const coverage = (over: Partial<Parameters<typeof emptyText>[0]> = {}) => ({ state: 'confirmed' as const, confirmedAt: '2026-11-24T09:00:00Z', notDownloaded: [], hasUnreadable: false, isWithheld: false, ...over });

describe('recordText', () => {
  it('says who recorded an item, for whom, when and from where — only what the record says', () => {
    expect(provenanceText({ by: 'Dr Priya Nair', organisation: 'Sample Street Surgery', at: '2012-05-01', system: 'gp.example' })).toBe('Recorded by Dr Priya Nair (Sample Street Surgery) on 1 May 2012 · from gp.example');
    expect(provenanceText({ by: null, organisation: null, at: '2019', system: null })).toBe('Recorded on 2019 (by whom is not stated)');
    expect(provenanceText({ by: null, organisation: null, at: null, system: 'hospital.example' })).toBe('Sent from hospital.example');
    expect(provenanceText({ by: null, organisation: null, at: null, system: null })).toBeNull();
  });
  it('formats partial dates as recorded and date-times with the time', () => {
    expect(formatWhen('2019-03')).toBe('Mar 2019');
    expect(formatWhen('garbage')).toBe('garbage');
    expect(formatWhen(null)).toBeNull();
  });
  it('says "None in the shared care record" only when the pull covered every type', () => {
    expect(emptyText(coverage(), SECTION_WORDS.allergies, 0)).toBe('None in the shared care record.');
    expect(emptyText(coverage(), SECTION_WORDS.carePlans, 3)).toBe('No current care plans in the shared care record.');
    expect(emptyText(coverage({ state: 'not-downloaded', confirmedAt: null }), SECTION_WORDS.allergies, 0)).toBe('Not yet downloaded to this device — check other sources.');
    expect(emptyText(coverage({ state: 'partly-downloaded', notDownloaded: ['prescriptions'] }), SECTION_WORDS.medications, 0)).toBe('Prescriptions not yet downloaded to this device — check other sources.');
    expect(emptyText(coverage({ isWithheld: true }), SECTION_WORDS.conditions, 0)).toBe('Restricted information may include conditions: they are not shown on this device.');
    expect(emptyText(coverage({ hasUnreadable: true }), SECTION_WORDS.alerts, 0)).toBe('A record of alerts could not be read — check other sources.');
  });
  it('warns when a list with items may be incomplete', () => {
    expect(incompleteText(coverage(), SECTION_WORDS.medications)).toBeNull();
    expect(incompleteText(coverage({ state: 'partly-downloaded', notDownloaded: ['family and carers', 'care teams'] }), SECTION_WORDS.contacts)).toBe('Family and carers and care teams not yet downloaded, so this list may be incomplete.');
  });
  it('counts past items in words', () => {
    expect(pastCountText(3, SECTION_WORDS.carePlans)).toBe('3 ended care plans');
    expect(pastCountText(1, SECTION_WORDS.carePlans)).toBe('1 ended care plan');
  });
  it('labels statuses, verification and content types, and says nothing for the ordinary ones', () => {
    expect(statusLabel('active')).toBeNull();
    expect(statusLabel('on-hold')).toBe('On hold');
    expect(statusLabel('active proposal')).toBe('Proposed, not prescribed');
    expect(verificationLabel('confirmed')).toBeNull();
    expect(verificationLabel('differential')).toBe('Possible (one of several diagnoses considered)');
    expect(contentTypeLabel('application/pdf')).toBe('PDF');
    expect(contentTypeLabel('application/hl7-v3+xml')).toBeNull();
  });
});
