import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clip, conceptText, labelFromUrl, narrativeText, urlHost } from './fhirText';

describe('narrativeText', () => {
  it('turns XHTML into plain lines and drops script, style and comments', () => {
    const div = '<div xmlns="http://www.w3.org/1999/xhtml"><h3>Plan</h3><p>Call &quot;the team&quot; &amp; wait</p><!-- x --><style>p{}</style><script>alert(1)</script><br/>Then &#x2192; go&nbsp;home</div>';
    expect(narrativeText({ status: 'generated', div })).toBe('Plan\nCall "the team" & wait\nThen → go home');
  });
  it('decodes entities once, so encoded tags stay text', () => {
    expect(narrativeText({ status: 'generated', div: '<div>&lt;img src=x onerror=alert(1)&gt;</div>' })).toBe('<img src=x onerror=alert(1)>');
    expect(narrativeText({ status: 'generated', div: '<div>&amp;lt;b&amp;gt;</div>' })).toBe('&lt;b&gt;');
  });
  it('never leaves a tag from any markup (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('<p>', '</p>', '<div class="a">', '<b', '>', '<script>', '</script>', '<br/>', '&amp;', '&#60;'), fc.string()), { maxLength: 20 }), (parts) => {
        const out = narrativeText({ status: 'generated', div: parts.join('') }) ?? '';
        expect(out).not.toMatch(/<\/?(p|div|b|script|br)\b[^<]*>/i);
      }),
    );
  });
  it('returns null for empty narrative', () => {
    expect(narrativeText(undefined)).toBeNull();
    expect(narrativeText({ status: 'empty', div: '<div>  </div>' })).toBeNull();
  });
});

describe('text helpers', () => {
  it('clips at a word with an ellipsis, within the bound (property)', () => {
    expect(clip('one two three', 9)).toBe('one two…');
    fc.assert(fc.property(fc.string({ maxLength: 300 }), fc.integer({ min: 2, max: 100 }), (s, max) => {
      expect(clip(s, max).length).toBeLessThanOrEqual(max);
    }));
  });
  it('reads concept text, display, then code', () => {
    expect(conceptText({ text: ' Asthma ', coding: [{ display: 'x' }] })).toBe('Asthma');
    expect(conceptText({ coding: [{ code: '1' }, { display: 'Two' }] })).toBe('Two');
    expect(conceptText({ coding: [{ code: '1' }] })).toBe('1');
    expect(conceptText(undefined)).toBeNull();
  });
  it('labels URLs and finds hosts', () => {
    expect(labelFromUrl('https://x/StructureDefinition/Extension-UKCore-CeilingOfTreatment')).toBe('Ceiling of treatment');
    expect(labelFromUrl('https://x/Questionnaire/EOLPlan')).toBe('EOL plan');
    expect(labelFromUrl('')).toBeNull();
    expect(urlHost('https://Fhir.Example.org:8443/x')).toBe('fhir.example.org');
    expect(urlHost('urn:uuid:1')).toBeNull();
  });
});
