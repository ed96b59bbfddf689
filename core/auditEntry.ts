import type { AuditEvent } from '@medplum/fhirtypes';
import { z } from 'zod';
import { type AuditEntryIndex, entryCanonicalJson } from './auditChain';
import { base64Utf8 } from './auditEncoding';
import { AUDIT_ACTIONS, AUDIT_SYSTEMS, type AuditFact, PURPOSES_OF_USE, toAuditEvent } from './auditEvent';
import { canonicalJson } from './canonicalJson';
import { STAFF_ROLES } from './fhirCodes';

/**
 * How an entry is stored and hashed. The chain covers the index columns plus the rest of the
 * fact ("details", canonical JSON) — about 350 bytes, where the rendered BALP AuditEvent is
 * ~2 KB — so a million entries verify in seconds. The AuditEvent is a pure function of the
 * stored entry (toAuditEvent, by format version `v`), rendered when it leaves the device, and
 * it carries the exact hashed text so the central record can re-verify the chain itself.
 */
export const AUDIT_ENTRY_VERSION = 1;

const detailsSchema = z
  .object({
    v: z.literal(AUDIT_ENTRY_VERSION),
    practitionerId: z.string().nullable(),
    role: z.enum(STAFF_ROLES).nullable(),
    organizationId: z.string().nullable().optional(),
    deviceId: z.string(),
    appVersion: z.string(),
    purpose: z.string().nullable(),
    purposeOfUse: z.enum(PURPOSES_OF_USE).nullable().optional(),
    outcome: z.enum(['success', 'failure']),
    isOffline: z.boolean(),
    lastServerTimeAt: z.string().nullable(),
    clockOffsetMs: z.number().nullable().optional(),
    detail: z
      .object({ section: z.string().optional(), query: z.string().optional(), count: z.number().optional(), format: z.string().optional() })
      .strict()
      .optional(),
  })
  .strict();
export type AuditEntryDetails = z.infer<typeof detailsSchema>;

/** Splits a fact into the indexed columns and the canonical details text that is stored. */
export function splitFact(fact: AuditFact, eventId: string): Readonly<{ index: AuditEntryIndex; detailsJson: string }> {
  const { action, recordedAt, userId, patientId, patientNhsNumber, ...rest } = fact;
  const details = { ...rest, v: AUDIT_ENTRY_VERSION };
  return { index: { eventId, recordedAt, action, userId, patientId, patientNhs: patientNhsNumber ?? null }, detailsJson: canonicalJson(details) };
}

/** The fact back from a stored entry; throws on a format this build does not know. */
export function joinFact(index: AuditEntryIndex, detailsJson: string): AuditFact {
  const parsed = detailsSchema.safeParse(JSON.parse(detailsJson));
  const action = AUDIT_ACTIONS.find((a) => a === index.action);
  if (!parsed.success || !action) throw new TypeError('audit entry: unknown format');
  const { v: _version, ...details } = parsed.data;
  return { ...details, action, recordedAt: index.recordedAt, userId: index.userId, patientId: index.patientId, patientNhsNumber: index.patientNhs };
}

export type ChainPosition = Readonly<{ seq: number; prevHash: string; hash: string }>;

/**
 * The FHIR AuditEvent for a stored entry, with its place in the chain as extensions: seq,
 * prevHash, hash and the exact hashed entry text, so anyone can recompute
 * hash = SHA-256(prevHash ‖ canonical JSON of {seq, body: entry}).
 */
export function renderAuditEvent(index: AuditEntryIndex, detailsJson: string, chain: ChainPosition): AuditEvent {
  const event = toAuditEvent(joinFact(index, detailsJson), index.eventId);
  const url = (name: string) => `${AUDIT_SYSTEMS.extension}${name}`;
  return {
    ...event,
    extension: [
      ...(event.extension ?? []),
      { url: url('chain-seq'), valueInteger: chain.seq },
      { url: url('chain-prev-hash'), valueString: chain.prevHash },
      { url: url('chain-hash'), valueString: chain.hash },
      { url: url('chain-entry'), valueString: entryCanonicalJson(index, detailsJson) },
    ],
  };
}

/**
 * Characters a central record may refuse in a FHIR string (C0 controls: R4 string regex
 * `[ \r\n\t\S]+`) or that make text read differently from what it is (DEL, C1, soft hyphen,
 * zero-width, bidi controls, BOM, noncharacters, unpaired surrogates; CVE-2021-42574). Issue #10.
 */
const HIDDEN_IN_DELIVERY =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text with every hidden character shown as a visible escape, the way the IG command line shows
 * it; an empty string (FHIR has none) as `(empty)`.
 * @example visibleText('a\u001b[2Kb') // => 'a\\u001b[2Kb'
 */
export function visibleText(text: string): string {
  if (text === '') return '(empty)';
  return text.replace(HIDDEN_IN_DELIVERY, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function visibleStrings(value: unknown): unknown {
  if (typeof value === 'string') return visibleText(value);
  if (Array.isArray(value)) return value.map(visibleStrings);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visibleStrings(v)]));
  return value;
}

/** Marks an AuditEvent whose text fields were made visible for delivery (renderSanitisedAuditEvent). */
export const SANITISED_EXTENSION = `${AUDIT_SYSTEMS.extension}delivery-sanitised`;
/** The exact hashed entry text as base64 of its UTF-8 bytes, in a sanitised AuditEvent. */
export const CHAIN_ENTRY_BASE64_EXTENSION = `${AUDIT_SYSTEMS.extension}chain-entry-base64`;

/**
 * The AuditEvent for an entry the central record refused in its plain form (issue #10: a reason
 * holding ESC or BEL must not keep a break-glass out of the central audit). Every text field has
 * its hidden characters replaced by visible escapes; the exact hashed entry text travels as
 * base64 (`chain-entry-base64`, all ASCII) so the central record still re-verifies the chain:
 * hash = SHA-256(prevHash ‖ `{"body":<decoded text>,"seq":<seq>}`). `delivery-sanitised` says so.
 */
export function renderSanitisedAuditEvent(index: AuditEntryIndex, detailsJson: string, chain: ChainPosition): AuditEvent {
  const event = visibleStrings(toAuditEvent(joinFact(index, detailsJson), index.eventId)) as AuditEvent;
  const url = (name: string) => `${AUDIT_SYSTEMS.extension}${name}`;
  return {
    ...event,
    id: index.eventId, // the resource id stays the one the entry is PUT under
    extension: [
      ...(event.extension ?? []),
      { url: SANITISED_EXTENSION, valueBoolean: true },
      { url: url('chain-seq'), valueInteger: chain.seq },
      { url: url('chain-prev-hash'), valueString: chain.prevHash },
      { url: url('chain-hash'), valueString: chain.hash },
      { url: CHAIN_ENTRY_BASE64_EXTENSION, valueBase64Binary: base64Utf8(entryCanonicalJson(index, detailsJson)) },
    ],
  };
}
