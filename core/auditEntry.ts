import type { AuditEvent } from '@medplum/fhirtypes';
import { z } from 'zod';
import { type AuditEntryIndex, entryCanonicalJson } from './auditChain';
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
