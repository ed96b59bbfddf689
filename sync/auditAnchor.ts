import type { Basic } from '@medplum/fhirtypes';
import { z } from 'zod';
import type { CentralAnchor } from '../core/auditChain';
import { AUDIT_SYSTEMS } from '../core/auditEvent';
import { sha256Hex } from '../db/auditHash';
import type { AuditLog } from '../db/auditLog';
import { type FhirClient, FhirClientError, type FhirFailureReason } from './fhirClient';

/**
 * The chain-head anchor (issue #10 item 5). The audit chain is an unkeyed SHA-256 whose head is in
 * the same file, so whoever has the data key can rewrite entries not yet uploaded and recompute
 * it. Every sync therefore first sends the current head (seq, hash) to the central record, even
 * when the entries themselves cannot go yet: one small standard FHIR resource per device, a
 * `Basic` with code `onscene-audit-anchor`, PUT under an id derived from the device id, with
 * If-Match on the version last seen so it only moves forward. The central record's history of
 * that resource (`Basic/<id>/_history`) is every anchor ever sent; core/auditChain.ts
 * verifyAgainstAnchors compares the local chain with it. Not covered: entries appended since
 * the last anchor that got through.
 */
export const ANCHOR_CODE = 'onscene-audit-anchor';
const EXT = AUDIT_SYSTEMS.extension;

/**
 * The anchor's resource id: derived from the device id, a valid FHIR id for any device id.
 * @example anchorResourceId('onscene-1') // => 'audit-anchor-<40 hex digits>'
 */
export function anchorResourceId(deviceId: string): string {
  return `audit-anchor-${sha256Hex(deviceId).slice(0, 40)}`;
}

export type AnchorContent = CentralAnchor & Readonly<{ purgedThroughSeq: number }>;

/** The anchor resource for a device's chain head. */
export function anchorResource(deviceId: string, anchor: AnchorContent): Basic {
  return {
    resourceType: 'Basic',
    id: anchorResourceId(deviceId),
    identifier: [{ system: AUDIT_SYSTEMS.deviceId, value: deviceId }],
    code: { coding: [{ system: AUDIT_SYSTEMS.resource, code: ANCHOR_CODE }] },
    extension: [
      { url: `${EXT}chain-seq`, valueInteger: anchor.seq },
      { url: `${EXT}chain-hash`, valueString: anchor.hash },
      ...(anchor.recordedAt ? [{ url: `${EXT}anchor-recorded`, valueInstant: anchor.recordedAt }] : []),
      { url: `${EXT}chain-purged-through`, valueInteger: anchor.purgedThroughSeq },
      ...(anchor.chainId ? [{ url: `${EXT}chain-id`, valueString: anchor.chainId }] : []),
    ],
  };
}

const extensionSchema = z.object({ url: z.string(), valueInteger: z.number().int().optional(), valueString: z.string().optional(), valueInstant: z.string().optional() });
const anchorSchema = z.object({
  resourceType: z.literal('Basic'),
  meta: z.object({ versionId: z.string().optional() }).passthrough().optional(),
  code: z.object({ coding: z.array(z.object({ system: z.string().optional(), code: z.string().optional() })).optional() }),
  extension: z.array(extensionSchema),
});

export type ParsedAnchor = AnchorContent & Readonly<{ versionId: string | null }>;

/** Reads an anchor resource back; null for anything else (another kind of Basic, a damaged one). */
export function parseAnchor(resource: unknown): ParsedAnchor | null {
  const parsed = anchorSchema.safeParse(resource);
  if (!parsed.success || !parsed.data.code.coding?.some((c) => c.system === AUDIT_SYSTEMS.resource && c.code === ANCHOR_CODE)) return null;
  const ext = (name: string) => parsed.data.extension.find((e) => e.url === `${EXT}${name}`);
  const seq = ext('chain-seq')?.valueInteger;
  const hash = ext('chain-hash')?.valueString;
  if (seq === undefined || seq < 0 || !hash || !/^[0-9a-f]{64}$/.test(hash)) return null;
  return {
    seq,
    hash,
    recordedAt: ext('anchor-recorded')?.valueInstant ?? null,
    purgedThroughSeq: ext('chain-purged-through')?.valueInteger ?? 0,
    chainId: ext('chain-id')?.valueString ?? null,
    versionId: parsed.data.meta?.versionId ?? null,
  };
}

const HISTORY_PAGE = 1000;
/** Enough for one anchor a minute for two years; a longer history is read newest first up to this. */
const MAX_HISTORY_PAGES = 1000;

/**
 * Every anchor the central record holds for a device: each version of its anchor resource,
 * newest first ([] when it has none). Follows `next` links, or pages by `_offset` where the
 * server gives none. Versions that are not readable anchors (a deletion) are left out.
 */
export async function fetchAnchorHistory(client: FhirClient, deviceId: string): Promise<CentralAnchor[]> {
  const anchors: CentralAnchor[] = [];
  const base = `Basic/${anchorResourceId(deviceId)}/_history?_count=${HISTORY_PAGE}`;
  let next: string | null = base;
  let offset = 0;
  for (let page = 0; next && page < MAX_HISTORY_PAGES; page++) {
    let result;
    try {
      result = await client.page(next);
    } catch (error) {
      if (page === 0 && error instanceof FhirClientError && (error.status === 404 || error.status === 410)) return [];
      throw error;
    }
    for (const entry of result.entries) {
      const anchor = parseAnchor(entry.resource);
      if (anchor) anchors.push({ seq: anchor.seq, hash: anchor.hash, recordedAt: anchor.recordedAt, chainId: anchor.chainId });
    }
    offset += result.entries.length;
    const isFull = result.entries.length === HISTORY_PAGE && (result.total === null || offset < result.total);
    next = result.nextUrl ?? (isFull ? `${base}&_offset=${offset}` : null);
  }
  return anchors;
}

export type AnchorOutcome =
  /** The central record now holds this head; `isNewTrail` when it replaced another trail's anchor (after a wipe or recovery). */
  | Readonly<{ kind: 'sent'; seq: number; isNewTrail: boolean }>
  /** It already did: nothing sent. */
  | Readonly<{ kind: 'current'; seq: number }>
  /** No device id, nothing appended yet, or the uploader is stopping. */
  | Readonly<{ kind: 'skipped' }>
  /**
   * The central anchor is on this trail but the local chain no longer has its hash, or is behind
   * it: the file was rewritten or rolled back. Never overwritten, so it keeps proving the change;
   * `audit verify --central` says where.
   */
  | Readonly<{ kind: 'diverged'; centralSeq: number; localSeq: number }>
  | Readonly<{ kind: 'refused'; status: number }>
  | Readonly<{ kind: 'failed'; reason: FhirFailureReason }>;

type Known = Readonly<{ seq: number; hash: string; chainId: string | null; versionId: string | null }>;
type LocalHead = NonNullable<ReturnType<AuditLog['head']>>;

const versionOfEtag = (etag: string | undefined): string | null => (etag ? (/"([^"]+)"/.exec(etag)?.[1] ?? null) : null);

/**
 * Sends the chain head as the anchor: one GET per uploader life to learn the central version,
 * then one small transaction PUT per new head, with If-Match (a 412 re-reads once).
 */
export function createAnchorSender(options: Readonly<{ client: FhirClient; log: AuditLog; deviceId: string; now: () => Date; onServerTime?: (serverTime: string) => void }>) {
  const { client, log, deviceId } = options;
  const id = anchorResourceId(deviceId);
  /** What the central record holds; undefined until read this life, null when it has none. */
  let known: Known | null | undefined;

  const readCentral = async (): Promise<Known | null> => {
    const resource = (await client.read('Basic', id)) as { meta?: { versionId?: string } } | null;
    if (resource === null) return null;
    // A version that is not a readable anchor is overwritten (its history keeps it), never trusted.
    return parseAnchor(resource) ?? { seq: 0, hash: '', chainId: null, versionId: resource.meta?.versionId ?? null };
  };

  /** Where the central anchor stands against the local chain. */
  function relation(central: Known, local: LocalHead): 'same' | 'behind' | 'diverged' | 'other-trail' {
    if (central.seq === 0) return 'behind'; // unreadable: overwrite
    const first = log.hashAt(1);
    // The trail's first entry is still here and is not the central trail's: a new trail (wipe, recovery).
    if (first !== null && central.chainId !== null && central.chainId !== first) return 'other-trail';
    if (central.seq > local.head.seq) return 'diverged';
    if (central.seq < local.anchor.seq) return 'behind'; // purged past it: delivered, checked centrally
    const hash = central.seq === local.anchor.seq ? local.anchor.hash : log.hashAt(central.seq);
    if (hash !== central.hash) return 'diverged';
    return central.seq === local.head.seq ? 'same' : 'behind';
  }

  async function sendOnce(): Promise<AnchorOutcome> {
    const local = log.head();
    if (!local || local.head.seq === 0) return { kind: 'skipped' };
    const { head, anchor: purged } = local;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (known === undefined || (known !== null && known.versionId === null)) known = await readCentral();
      const stands = known ? relation(known, local) : 'behind';
      if (stands === 'same') return { kind: 'current', seq: head.seq };
      if (stands === 'diverged') return { kind: 'diverged', centralSeq: known?.seq ?? 0, localSeq: head.seq };
      // The trail's id: its first entry's hash; once that is purged, the one the central anchor carries.
      const chainId = log.hashAt(1) ?? (stands === 'behind' ? known?.chainId : null) ?? purged.hash;
      const resource = anchorResource(deviceId, { seq: head.seq, hash: head.hash, recordedAt: options.now().toISOString(), purgedThroughSeq: purged.seq, chainId });
      const ifMatch = known?.versionId ? { ifMatch: `W/"${known.versionId}"` } : {};
      const outcome = await client.transaction({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [{ fullUrl: `${client.baseUrl}/Basic/${id}`, resource, request: { method: 'PUT', url: `Basic/${id}`, ...ifMatch } }],
      });
      if (outcome.serverTime) options.onServerTime?.(outcome.serverTime);
      if (outcome.isOk) {
        const answer = outcome.entries[0];
        const versionId = versionOfEtag(answer?.response?.etag) ?? (answer?.resource as { meta?: { versionId?: string } } | undefined)?.meta?.versionId ?? null;
        known = { seq: head.seq, hash: head.hash, chainId, versionId };
        return { kind: 'sent', seq: head.seq, isNewTrail: stands === 'other-trail' };
      }
      if (outcome.status === 408 || outcome.status === 429 || outcome.status >= 500) return { kind: 'failed', reason: 'server-error' };
      if (outcome.status !== 412 && outcome.status !== 409) return { kind: 'refused', status: outcome.status };
      known = undefined; // someone moved it: read again and decide again
    }
    return { kind: 'failed', reason: 'server-error' };
  }

  return {
    /** Never throws: a failure is the outcome, and the next sync tries again. */
    async send(): Promise<AnchorOutcome> {
      try {
        return await sendOnce();
      } catch (error) {
        // `known` stays: a PUT that landed unanswered meets a 412 next time, which re-reads.
        if (!(error instanceof FhirClientError)) return { kind: 'failed', reason: 'offline' };
        return { kind: 'failed', reason: error.reason === 'bad-data' ? 'offline' : error.reason };
      }
    },
  };
}
