import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import * as fx from '../../core/record/recordFixtures';
import { buildPatientRecordView } from '../../core/recordView';
import { patientRecordViewSchema, type PatientRecordView } from '../../contract';
import { RecordBody } from './RecordBody';

const HOUR = 3_600_000;
const confirmed = '2026-11-24T09:00:00Z';
const resources = [
  fx.enteredInErrorAllergy, fx.peanutAllergy, fx.noKnownDrugAllergy, fx.epinephrineRequest, fx.containedMedicationRequest, fx.dietFlag,
  fx.narrativeOnlyPlan, fx.endedPlan('e1', '2025-01-01'), fx.endedPlan('e2', '2025-02-01'), fx.endedPlan('e3', '2025-03-01'),
  fx.eolForm, fx.dnacprDocument, fx.daughter, fx.encounter('enc', '2026-06-01'),
].map((r) => fx.cachedAt(r, confirmed));

function record(over: Partial<Parameters<typeof buildPatientRecordView>[2]> = {}): PatientRecordView {
  const view = buildPatientRecordView(fx.cachedAt({ ...fx.ukCorePatient, deceasedDateTime: '2026-11-24T03:10:00Z' }, confirmed), resources, {
    now: fx.FIXTURE_NOW, isOffline: false, staleAfterMs: 12 * HOUR, consentConfirmedAt: confirmed,
    confirmedAtByType: { Flag: confirmed, AllergyIntolerance: confirmed, CarePlan: confirmed, Condition: confirmed, QuestionnaireResponse: confirmed },
    ...over,
  });
  return patientRecordViewSchema.parse(view);
}
const render = (view: PatientRecordView, now = Date.parse('2026-11-24T10:00:00Z'), extra = {}) => renderToStaticMarkup(createElement(RecordBody, { record: view, now, ...extra }));
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, '\'').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
/** The text of the region whose h2 has this id. */
const region = (html: string, id: string): string => {
  const start = html.indexOf(`aria-labelledby="${id}-heading"`);
  const end = html.indexOf('</section>', start);
  return text(html.slice(start, end));
};

describe('RecordBody', () => {
  it('shows every shape, safety first, and leaves out what is not true now', () => {
    const html = render(record());
    const all = text(html);
    expect(all.indexOf('Recorded as deceased')).toBeLessThan(all.indexOf('Resuscitation decision'));
    expect(all).toContain('Died 24 Nov 2026');
    expect(region(html, 'medications')).toContain('NDA020800 0.3 ML Epinephrine 1 MG/ML Auto-Injector');
    expect(region(html, 'medications')).toContain('Dose: 2 tablet, Oral, 4 times a day');
    const allergies = region(html, 'allergies');
    expect(allergies).not.toContain('Amoxicillin');
    expect(allergies).toContain('No known drug allergy');
    expect(allergies.indexOf('Anaphylaxis')).toBeLessThan(allergies.indexOf('Wheal'));
    const plans = region(html, 'care-plans');
    expect(plans).toContain('Oxygen & nebuliser are in the bedroom');
    expect(plans).toContain('3 ended care plans');
    expect(html).toMatch(/<details class="nhsuk-details app-past"><summary[^>]*><span[^>]*>3 ended care plans/);
    expect(html).not.toContain('<script');
    expect(region(html, 'documents')).toContain('Not stored on this device: open it from the shared care record when online.');
    expect(region(html, 'forms')).toContain('Advance Decision to Refuse Treatment Yes');
    expect(region(html, 'contacts')).toContain('Daughter');
    expect(all).toContain('Communication needs');
    expect(all).toContain('Uses British Sign Language.');
  });
  it('says "none" only where the pull covered the type, and "not yet downloaded" elsewhere', () => {
    const html = render(record());
    expect(region(html, 'conditions')).toContain('None in the shared care record.');
    expect(region(html, 'procedures')).toContain('Not yet downloaded to this device — check other sources.');
    expect(region(html, 'medications')).toContain('Prescriptions and medication records not yet downloaded, so this list may be incomplete.');
  });
  it('turns "may have changed" on by itself for safety items only, with the reason', () => {
    const view = record();
    const early = text(render(view, Date.parse('2026-11-24T20:59:00Z')));
    expect(early).not.toContain('May have changed');
    const html = render(view, Date.parse('2026-11-24T23:10:00Z'), { isSyncOffline: true, lastContactAt: '2026-11-24T09:05:00Z' });
    expect(region(html, 'alerts')).toContain('May have changed not confirmed for 14 hours: no signal since');
    expect(region(html, 'allergies')).toContain('May have changed');
    expect(region(html, 'care-plans')).toContain('May have changed');
    expect(region(html, 'medications')).not.toContain('May have changed');
    expect(region(html, 'encounters')).not.toContain('May have changed');
  });
  it('says restricted information exists and who to contact', () => {
    const html = render(record({ withheld: { reason: 'restricted', count: 2, types: ['Condition'] } }));
    expect(text(html)).toContain('Restricted information Some of this patient’s information is restricted and is not shown on this device. It may include: conditions. Contact the patient’s GP practice or the shared care record service desk.');
    expect(region(html, 'conditions')).toContain('Restricted information may include conditions');
  });
  it('keeps headings in order: no level skipped', () => {
    const levels = [...render(record()).matchAll(/<h([1-6])/g)].map((m) => Number(m[1]));
    levels.reduce((previous, level) => {
      expect(level).toBeLessThanOrEqual(previous + 1);
      return level;
    }, 1);
  });
});
