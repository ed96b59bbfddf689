import type { QuestionnaireResponse } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { documentViews, mentionsAdvanceCare } from './documents';
import { FORM_ANSWER_LIMIT, formViews } from './forms';
import { cachedAt, dnacprDocument, eolForm, fixtureContext } from './recordFixtures';

const ctx = fixtureContext();

describe('documentViews', () => {
  it('lists a document by title, type, contained author, custodian and date; superseded versions not shown', () => {
    const views = documentViews([cachedAt(dnacprDocument), cachedAt({ ...dnacprDocument, id: 'old', status: 'superseded' })], ctx);
    expect(views).toEqual([{
      id: 'fx-doc',
      confirmedAt: '2026-11-24T09:00:00Z',
      source: { by: 'Dr Sandra GOSE', organisation: 'Sample Hospice', at: '2026-02-01T09:00:00Z', system: null },
      title: 'DNACPR form (paper copy)',
      type: 'Advance directives',
      description: 'Scanned DNACPR form',
      author: 'Dr Sandra GOSE',
      organisation: 'Sample Hospice',
      at: '2026-02-01T09:00:00Z',
      contentType: 'application/pdf',
      isPreliminary: false,
      isAdvanceCarePlan: true,
    }]);
  });
  it('recognises advance care words, and ReSPECT only by its spelling', () => {
    expect(mentionsAdvanceCare('ReSPECT form')).toBe(true);
    expect(mentionsAdvanceCare('Treatment escalation plan')).toBe(true);
    expect(mentionsAdvanceCare('Letter with respect to hip pain')).toBe(false);
    expect(mentionsAdvanceCare('Discharge summary', null)).toBe(false);
  });
});

describe('formViews', () => {
  it('shows the UK Core end-of-life form with every answer under its section', () => {
    const [form] = formViews([cachedAt(eolForm)], ctx);
    expect(form).toMatchObject({ title: 'EOL plan example', status: 'completed', isAdvanceCarePlan: true, omittedAnswers: 0, source: { by: 'Dr Sandra Gose', at: '2026-11-14T08:07:00+00:00' } });
    expect(form?.answers).toEqual([
      { section: 'Advanced Treatment Preferences › Clinical Problems and Advised Interventions', question: 'ATP Problems', answer: 'Primary fibromyalgia syndrome' },
      { section: 'Advanced Treatment Preferences', question: 'Anticipatory medicines/just in case box issued', answer: 'Yes' },
      { section: 'Advanced Treatment Preferences', question: 'Advance Decision to Refuse Treatment', answer: 'Yes' },
      { section: 'EOL Register', question: 'On End Of Life Register', answer: '2026-11-13' },
    ]);
  });
  it('reads every answer type, leaves out entered-in-error forms, and caps long forms', () => {
    const many: QuestionnaireResponse = {
      resourceType: 'QuestionnaireResponse', id: 'big', status: 'in-progress',
      item: [
        { linkId: 'b', text: 'Lives alone', answer: [{ valueBoolean: false }] },
        { linkId: 'q', text: 'Weight', answer: [{ valueQuantity: { value: 61, unit: 'kg' } }] },
        { linkId: 'r', text: 'GP', answer: [{ valueReference: { display: 'Dr Rastall' } }] },
        ...Array.from({ length: FORM_ANSWER_LIMIT + 5 }, (_, i) => ({ linkId: `n${i}`, text: `Q${i}`, answer: [{ valueInteger: i }] })),
      ],
    };
    const views = formViews([cachedAt(many), cachedAt({ ...eolForm, id: 'err', status: 'entered-in-error' })], ctx);
    expect(views.map((f) => f.id)).toEqual(['big']);
    expect(views[0]?.answers.slice(0, 3).map((a) => a.answer)).toEqual(['No', '61 kg', 'Dr Rastall']);
    expect(views[0]).toMatchObject({ title: 'Lives alone', status: 'in-progress', isAdvanceCarePlan: false, omittedAnswers: 8 });
    expect(views[0]?.answers).toHaveLength(FORM_ANSWER_LIMIT);
  });
});
