import { describe, expect, it } from 'vitest';
import { entryCanonicalJson } from './auditChain';
import { CHAIN_ENTRY_BASE64_EXTENSION, SANITISED_EXTENSION, renderAuditEvent, renderSanitisedAuditEvent, splitFact, visibleText } from './auditEntry';
import type { AuditFact } from './auditEvent';

const fact: AuditFact = {
  action: 'break-glass',
  recordedAt: '2026-03-01T10:00:00.000Z',
  userId: 'demo-paramedic-1',
  practitionerId: 'prac-demo-paramedic-1',
  role: 'paramedic',
  deviceId: 'onscene-device-1',
  appVersion: '0.1.0',
  patientId: 'pat-000001',
  patientNhsNumber: '9990000018',
  // ESC, BEL, a line break, zero-width space, bidi override, an unpaired surrogate (issue #10).
  purpose: 'Collapsed\u001b[2K\u0007\nfake\u200b row\u202e\ud800',
  outcome: 'success',
  isOffline: true,
  lastServerTimeAt: null,
  detail: { section: '' },
};
const chain = { seq: 7, prevHash: 'a'.repeat(64), hash: 'b'.repeat(64) };
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\ud800-\udfff]/;

/** Every string in a JSON value. */
const strings = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : Array.isArray(value) ? value.flatMap(strings) : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];

describe('visibleText', () => {
  it('shows hidden characters as escapes and an empty string as (empty)', () => {
    expect(visibleText('a\u001b[2Kb\u0007')).toBe('a\\u001b[2Kb\\u0007');
    expect(visibleText('x\u200by\u202ez\ufeff')).toBe('x\\u200by\\u202ez\\ufeff');
    expect(visibleText('\ud83d\ude91 ok \ud800')).toBe('\ud83d\ude91 ok \\ud800'); // a paired surrogate (an emoji) is kept
    expect(visibleText('')).toBe('(empty)');
    expect(visibleText('Café, 10:00')).toBe('Café, 10:00');
  });
});

describe('renderSanitisedAuditEvent', () => {
  const { index, detailsJson } = splitFact(fact, 'e-1');

  it('has no hidden character or empty string anywhere, and says it was sanitised', () => {
    const event = renderSanitisedAuditEvent(index, detailsJson, chain);
    const all = strings(event);
    expect(all.filter((s) => HIDDEN.test(s) || s === '')).toEqual([]);
    expect(event.purposeOfEvent?.[0]?.text).toBe('Collapsed\\u001b[2K\\u0007\\u000afake\\u200b row\\u202e\\ud800');
    expect(event.extension?.find((e) => e.url === SANITISED_EXTENSION)?.valueBoolean).toBe(true);
    expect(event.id).toBe('e-1');
  });

  it('carries the exact hashed text, base64, in place of the plain chain-entry', () => {
    const event = renderSanitisedAuditEvent(index, detailsJson, chain);
    const plain = renderAuditEvent(index, detailsJson, chain);
    const base64 = event.extension?.find((e) => e.url === CHAIN_ENTRY_BASE64_EXTENSION)?.valueBase64Binary ?? '';
    expect(Buffer.from(base64, 'base64').toString('utf8')).toBe(entryCanonicalJson(index, detailsJson));
    expect(event.extension?.some((e) => e.url.endsWith('/chain-entry'))).toBe(false);
    for (const name of ['chain-seq', 'chain-prev-hash', 'chain-hash']) {
      const pick = (e: typeof event) => e.extension?.find((x) => x.url.endsWith(`/${name}`));
      expect(pick(event)).toEqual(pick(plain));
    }
  });
});
