import { ALL_RECORD_TYPES, SYSTEMS } from '../core/fhirCodes';
import { patientIdOf } from '../core/patientLink';
import { resourceKey } from '../db/resourceRepo';
import { purgeResources } from './purge';
import { type StoredResource, catchUp } from './pullType';
import type { ScopeName } from './scopeBook';
import type { SyncContext } from './syncContext';

/**
 * Issue #11: restricted and objected information is never cached on the vehicle.
 *
 * - A resource labelled restricted or very restricted (`meta.security` from the HL7 v3
 *   Confidentiality code system, R or V: https://hl7.org/fhir/R4/v3/Confidentiality/cs.html) is
 *   not stored. The Patient and the incident Task are exempt: a crew must be able to tell who is in
 *   front of them, and servers such as PDS already strip a sensitive patient's address before
 *   sending a Patient labelled R.
 * - A patient whose Consent records an objection to sharing (objectionUntil) has nothing beyond
 *   the Patient (and its incident) stored, the objection Consent included.
 * What is withheld is counted per patient as `Type/id` (never content), for the record to say that
 * information exists. A label or Consent that changes on the server purges the cached copy
 * retroactively, audited like any purge; a label removed or an objection withdrawn brings the
 * record back through the usual pulls and catch-ups.
 */

type Coding = Readonly<{ system?: unknown; code?: unknown }>;
type Concept = Readonly<{ coding?: readonly Coding[] }>;

const CONFIDENTIALITY_SYSTEMS: ReadonlySet<unknown> = new Set([SYSTEMS.confidentiality, SYSTEMS.confidentialityLegacy]);
const WITHHELD_CONFIDENTIALITY: ReadonlySet<unknown> = new Set(['R', 'V']);
/** Never withheld (see above). */
const EXEMPT_TYPES: ReadonlySet<string> = new Set(['Patient', 'Task']);
/** Purposes of use under which a crew reads a record: a deny limited to others (research, marketing) is not about us. */
const DIRECT_CARE_PURPOSES: ReadonlySet<unknown> = new Set(['TREAT', 'ETREAT', 'CAREMGT']);

const codings = (value: unknown): Coding[] => {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((c): c is Coding => !!c && typeof c === 'object');
};
const conceptCodings = (value: unknown): Coding[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).flatMap((c) => codings((c as Concept | null)?.coding));

/** True when the resource carries a restricted (R) or very restricted (V) confidentiality label. */
export function isRestricted(resource: Readonly<{ meta?: unknown }>): boolean {
  const security = (resource.meta as { security?: unknown } | undefined)?.security;
  return codings(security).some((c) => CONFIDENTIALITY_SYSTEMS.has(c.system) && WITHHELD_CONFIDENTIALITY.has(c.code));
}

type ConsentLike = Readonly<{
  status?: unknown;
  scope?: unknown;
  policyRule?: unknown;
  provision?: Readonly<{
    type?: unknown;
    period?: Readonly<{ start?: unknown; end?: unknown }>;
    actor?: readonly unknown[];
    data?: readonly unknown[];
    class?: readonly unknown[];
    code?: readonly unknown[];
    securityLabel?: readonly unknown[];
    dataPeriod?: unknown;
    purpose?: readonly Coding[];
  }>;
}>;

const isSet = (list: readonly unknown[] | undefined) => Array.isArray(list) && list.length > 0;

/**
 * Whether a Consent records an objection to sharing that is in force at `nowMs`: null when it
 * does not, '' when it does with no end, otherwise the instant its period ends.
 *
 * The shape (https://hl7.org/fhir/R4/consent.html, privacy consents): `status` active, `scope`
 * patient-privacy, a provision period that has started and not ended, and either
 * - `policyRule` v3-ActCode OPTOUT ("no sharing unless exceptions"), or
 * - a root provision of type deny that is not narrowed to particular people, organisations, data,
 *   classes, codes, labels or time (a narrowed deny, like HL7's consent-example-notOrg/-notThis/
 *   -notTime, withholds part of a record from someone else, not the record from us), and whose
 *   purpose, if given, includes direct care (a deny for research or planning only, like England's
 *   National Data Opt-out, is not an objection to direct care).
 * Nested provisions (exceptions, e.g. "except in an emergency") are not evaluated: an objection
 * stays an objection, the record says information is withheld and whom to contact.
 */
export function objectionUntil(consent: ConsentLike, nowMs: number): string | null {
  if (consent.status !== 'active') return null;
  if (!conceptCodings(consent.scope).some((c) => c.system === SYSTEMS.consentScope && c.code === 'patient-privacy')) return null;
  const provision = consent.provision ?? {};
  const startMs = Date.parse(String(provision.period?.start ?? ''));
  if (Number.isFinite(startMs) && startMs > nowMs) return null;
  const endMs = Date.parse(String(provision.period?.end ?? ''));
  // An unreadable end does not end it (the safe reading: still objecting).
  if (Number.isFinite(endMs) && endMs <= nowMs) return null;
  const isOptOut = conceptCodings(consent.policyRule).some((c) => c.system === SYSTEMS.v3ActCode && c.code === 'OPTOUT');
  const purposes = codings(provision.purpose);
  const isBlanketDeny = provision.type === 'deny'
    && !isSet(provision.actor) && !isSet(provision.data) && !isSet(provision.class) && !isSet(provision.code)
    && !isSet(provision.securityLabel) && provision.dataPeriod === undefined
    && (purposes.length === 0 || purposes.some((p) => DIRECT_CARE_PURPOSES.has(p.code)));
  if (!isOptOut && !isBlanketDeny) return null;
  return Number.isFinite(endMs) ? new Date(endMs).toISOString() : '';
}

/** After an objection ends, everything withheld because of it is fetched whole again (the Patient never was). */
function refetchAfterObjection(ctx: SyncContext, patientId: string): void {
  ctx.book.requireRefetch(patientId, ALL_RECORD_TYPES);
}

/** Applies the Consents of a page to the patients' objections; returns who started objecting. */
function applyObjections(ctx: SyncContext, resources: readonly StoredResource[]): Set<string> {
  const nowMs = Date.parse(ctx.serverNow());
  const started = new Set<string>();
  const ended = new Set<string>();
  for (const r of resources) {
    if (r.resourceType !== 'Consent') continue;
    const patientId = patientIdOf(r);
    if (!patientId) continue;
    const until = objectionUntil(r as ConsentLike, nowMs);
    if (until !== null) {
      if (ctx.book.addObjection(patientId, r.id, until)) started.add(patientId);
    } else if (ctx.book.removeObjection(patientId, r.id)) ended.add(patientId);
  }
  for (const patientId of ended) if (!ctx.book.isObjecting(patientId)) refetchAfterObjection(ctx, patientId);
  return new Set([...started].filter((p) => ctx.book.isObjecting(p)));
}

export type LinkedResource = Readonly<{ resource: StoredResource; patientId: string; key: string }>;

/**
 * Decides what of a page may be stored, counts what may not, and purges cached copies that are
 * now withheld (a label added, an objection recorded): audit entry first, as for every purge.
 */
export async function screenForStorage<T extends LinkedResource>(ctx: SyncContext, items: readonly T[]): Promise<T[]> {
  const newlyObjecting = applyObjections(ctx, items.map((i) => i.resource));
  const toPurge = new Map<string, Map<'restricted' | 'sharing-objection', string[]>>();
  const purgeLater = (patientId: string, reason: 'restricted' | 'sharing-objection', key: string) => {
    const byReason = toPurge.get(patientId) ?? new Map<'restricted' | 'sharing-objection', string[]>();
    byReason.set(reason, [...(byReason.get(reason) ?? []), key]);
    toPurge.set(patientId, byReason);
  };
  for (const patientId of newlyObjecting) {
    for (const key of await ctx.resources.recordKeysOf(patientId, [...EXEMPT_TYPES])) purgeLater(patientId, 'sharing-objection', key);
  }
  const store: T[] = [];
  for (const item of items) {
    const { resource, patientId, key } = item;
    if (EXEMPT_TYPES.has(resource.resourceType) || !patientId) {
      store.push(item);
      continue;
    }
    const reason = isRestricted(resource) ? 'restricted' : ctx.book.isObjecting(patientId) ? 'sharing-objection' : null;
    if (reason === null) {
      ctx.book.release(patientId, key);
      store.push(item);
      continue;
    }
    ctx.stats.withheld++;
    purgeLater(patientId, reason, key);
  }
  for (const [patientId, byReason] of toPurge) {
    for (const [reason, keys] of byReason) {
      for (const key of keys) ctx.book.withhold(patientId, key, reason);
      await purgeResources(ctx, patientId, keys, reason);
    }
  }
  return store;
}

/** Screens resources linked to their patient by their own reference (the usual case). */
export async function screenResources(ctx: SyncContext, resources: readonly StoredResource[]): Promise<StoredResource[]> {
  const items = resources.map((resource) => ({ resource, patientId: patientIdOf(resource), key: resourceKey(resource.resourceType, resource.id) }));
  return (await screenForStorage(ctx, items)).map((i) => i.resource);
}

const isScreened = (ctx: SyncContext, patientId: string) => ctx.screened.has(patientId) || (ctx.book.get(patientId)?.confirmedAtByType.Consent ?? '') !== '';

/**
 * Before anything beyond demographics is stored for a patient whose Consents were never read (a
 * plan holder met first through the area's CarePlans), reads their Consents, so an objection is
 * known before the rest of their record arrives rather than purged just after.
 */
export async function ensureScreened(ctx: SyncContext, scope: ScopeName, patientIds: readonly string[]): Promise<void> {
  const unscreened = [...new Set(patientIds)].filter((id) => id !== '' && !isScreened(ctx, id));
  if (unscreened.length === 0) return;
  await catchUp(ctx, 'Consent', unscreened, async (consents, chunk) => {
    const keep = await screenResources(ctx, consents);
    await ctx.resources.upsertFromServer(keep, ctx.serverNow());
    // A whole read of their Consents: the scope's own Consent catch-up is no longer needed.
    ctx.book.markFetched(scope, 'Consent', chunk);
    for (const id of chunk) ctx.screened.add(id);
    await ctx.book.flush();
  });
}

/** After a scope's Consents were read to the end, its members' objections are known. */
export function markScreened(ctx: SyncContext, scope: ScopeName): void {
  const pending = new Set(ctx.book.pendingFor(scope, 'Consent'));
  for (const id of ctx.book.members(scope)) if (!pending.has(id)) ctx.screened.add(id);
}

/** Objections whose period ended since the last run end without any change on the server: bring those records back. */
export async function expireObjections(ctx: SyncContext): Promise<void> {
  for (const [patientId, consentIds] of ctx.book.endedObjections(Date.parse(ctx.serverNow()))) {
    let isOver = false;
    for (const id of consentIds) isOver = ctx.book.removeObjection(patientId, id) || isOver;
    if (isOver && !ctx.book.isObjecting(patientId)) refetchAfterObjection(ctx, patientId);
  }
  await ctx.book.flush();
}

/** A deletion on the server: the resource is no longer withheld anywhere, and a deleted objection no longer applies. */
export function applyDeletionToPrivacy(ctx: SyncContext, resourceType: string, id: string): void {
  ctx.book.releaseEverywhere(resourceKey(resourceType, id));
  if (resourceType !== 'Consent') return;
  for (const patientId of ctx.book.objectorsOf(id)) {
    if (ctx.book.removeObjection(patientId, id) && !ctx.book.isObjecting(patientId)) refetchAfterObjection(ctx, patientId);
  }
}
