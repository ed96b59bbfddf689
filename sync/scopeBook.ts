import type { ScopeRepo } from '../db/scopeRepo';
import type { PatientScopeDoc, ScopeHold } from '../db/schemas';

/** DESIGN §4 scopes: (1) incidents assigned to this vehicle, (2) the operating area, (3) opened by online search. */
export const SCOPE_NAMES = ['incident', 'area', 'search'] as const;
export type ScopeName = (typeof SCOPE_NAMES)[number];

/** A hold counts until its untilAt ('' means "while the scope lasts"). */
export function isHoldOpen(hold: ScopeHold, nowMs: number): boolean {
  return hold.untilAt === '' || Date.parse(hold.untilAt) > nowMs;
}

/**
 * The patients this device holds and why, in memory for one sync run: scopes ask "who is in",
 * pulls mark what they fetched, and changed documents are written with the page that changed them.
 */
export function createScopeBook(docs: readonly PatientScopeDoc[], repo: ScopeRepo, now: () => string) {
  const byId = new Map(docs.map((d) => [d.patientId, d]));
  const changed = new Set<string>();
  const removed = new Set<string>();
  const nowMs = () => Date.parse(now());
  const touch = (doc: PatientScopeDoc) => {
    doc.updatedAt = now();
    changed.add(doc.patientId);
    removed.delete(doc.patientId);
  };
  const openHold = (doc: PatientScopeDoc | undefined, scope: ScopeName) => doc?.holds.find((h) => h.scope === scope && isHoldOpen(h, nowMs()));

  return {
    get: (patientId: string) => byId.get(patientId),
    all: () => [...byId.values()],
    ensure(patientId: string): PatientScopeDoc {
      let doc = byId.get(patientId);
      if (!doc) {
        doc = {
          patientId, holds: [], district: '', activePlanIds: [], consentConfirmedAt: '', confirmedAtByType: {},
          withheldRestricted: [], withheldObjection: [], objections: [], updatedAt: now(),
        };
        byId.set(patientId, doc);
      }
      return doc;
    },
    setFacts(patientId: string, facts: Partial<Pick<PatientScopeDoc, 'district' | 'activePlanIds'>>) {
      const doc = this.ensure(patientId);
      if (facts.district !== undefined) doc.district = facts.district;
      if (facts.activePlanIds !== undefined) doc.activePlanIds = [...facts.activePlanIds];
      touch(doc);
    },
    isMember: (scope: ScopeName, patientId: string) => openHold(byId.get(patientId), scope) !== undefined,
    members(scope: ScopeName): string[] {
      return [...byId.values()].filter((d) => openHold(d, scope)).map((d) => d.patientId).sort();
    },
    /** Adds a hold; returns false when the patient was already in the scope. */
    join(patientId: string, scope: ScopeName, hold: Readonly<{ ref: string; pending: readonly string[]; untilAt?: string }>): boolean {
      const doc = this.ensure(patientId);
      const open = openHold(doc, scope);
      if (open) {
        // A hold "while the scope lasts" re-joining during an exit's grace period is open-ended again
        // (an incident re-assigned within its grace must not be purged when that grace ends).
        const untilAt = hold.untilAt === undefined ? '' : open.untilAt !== '' && hold.untilAt > open.untilAt ? hold.untilAt : open.untilAt;
        if (untilAt !== open.untilAt || hold.ref !== open.ref) {
          Object.assign(open, { untilAt, ref: hold.ref });
          touch(doc);
        }
        return false;
      }
      doc.holds = [...doc.holds.filter((h) => h.scope !== scope), { scope, since: now(), untilAt: hold.untilAt ?? '', ref: hold.ref, pending: [...hold.pending] }];
      touch(doc);
      return true;
    },
    /**
     * Ends a hold at `untilAt` (server time); the purge removes the patient once no hold is open.
     * A hold already ending (in a grace period) keeps its earlier end: exits repeated every run
     * must not push it back.
     */
    exit(patientId: string, scope: ScopeName, untilAt: string): boolean {
      const hold = openHold(byId.get(patientId), scope);
      if (!hold) return false;
      if (hold.untilAt !== '' && !(Date.parse(untilAt) < Date.parse(hold.untilAt))) return false;
      hold.untilAt = untilAt;
      touch(byId.get(patientId) as PatientScopeDoc);
      return true;
    },
    /** Members that joined after `type`'s checkpoint began and still need it fetched whole. */
    pendingFor(scope: ScopeName, type: string): string[] {
      return [...byId.values()].filter((d) => openHold(d, scope)?.pending.includes(type)).map((d) => d.patientId).sort();
    },
    markFetched(scope: ScopeName, type: string, patientIds: readonly string[]) {
      for (const id of patientIds) {
        const doc = byId.get(id);
        const hold = openHold(doc, scope);
        if (!doc || !hold?.pending.includes(type)) continue;
        hold.pending = hold.pending.filter((t) => t !== type);
        touch(doc);
      }
    },
    /**
     * Records that a completed pull of `type` for `scope` covered its members at `at` (server time,
     * taken when the pull began), changed or not: members still waiting for a catch-up of that
     * type in that scope are not covered. An older confirmation never replaces a newer one.
     */
    confirm(scope: ScopeName, type: string, at: string) {
      const atMs = Date.parse(at);
      if (!Number.isFinite(atMs)) return;
      for (const doc of byId.values()) {
        const hold = openHold(doc, scope);
        if (!hold || hold.pending.includes(type)) continue;
        const previous = doc.confirmedAtByType[type];
        if (previous !== undefined && Date.parse(previous) >= atMs) continue;
        doc.confirmedAtByType = { ...doc.confirmedAtByType, [type]: at };
        if (type === 'Consent') doc.consentConfirmedAt = at;
        touch(doc);
      }
    },
    /**
     * The patient's copies of `types` must be fetched whole again (e.g. an objection to sharing was
     * withdrawn): pending in every open hold, and no longer confirmed until that catch-up completes.
     */
    requireRefetch(patientId: string, types: readonly string[]) {
      const doc = byId.get(patientId);
      if (!doc) return;
      for (const hold of doc.holds) if (isHoldOpen(hold, nowMs())) hold.pending = [...new Set([...hold.pending, ...types])];
      const stamps = { ...doc.confirmedAtByType };
      for (const type of types) delete stamps[type];
      doc.confirmedAtByType = stamps;
      doc.consentConfirmedAt = stamps.Consent ?? '';
      touch(doc);
    },
    /** Forgets what sync knew of the patient's record (a purge): confirmations, withheld items, objections. */
    clearRecordFacts(patientId: string) {
      const doc = byId.get(patientId);
      if (!doc) return;
      Object.assign(doc, { consentConfirmedAt: '', confirmedAtByType: {}, withheldRestricted: [], withheldObjection: [], objections: [] });
      touch(doc);
    },
    isObjecting: (patientId: string) => (byId.get(patientId)?.objections.length ?? 0) > 0,
    /** Records (or updates) an objection Consent; true when the patient did not object before. */
    addObjection(patientId: string, consentId: string, untilAt: string): boolean {
      const doc = this.ensure(patientId);
      const wasObjecting = doc.objections.length > 0;
      const existing = doc.objections.find((o) => o.consentId === consentId);
      if (existing?.untilAt === untilAt) return false;
      doc.objections = [...doc.objections.filter((o) => o.consentId !== consentId), { consentId, untilAt }];
      touch(doc);
      return !wasObjecting;
    },
    /** Drops an objection Consent (withdrawn, ended, deleted); true when no objection is left. */
    removeObjection(patientId: string, consentId: string): boolean {
      const doc = byId.get(patientId);
      if (!doc?.objections.some((o) => o.consentId === consentId)) return false;
      doc.objections = doc.objections.filter((o) => o.consentId !== consentId);
      if (doc.objections.length === 0) doc.withheldObjection = [];
      touch(doc);
      return doc.objections.length === 0;
    },
    /** Patients whose objections include `consentId`. */
    objectorsOf: (consentId: string) => [...byId.values()].filter((d) => d.objections.some((o) => o.consentId === consentId)).map((d) => d.patientId),
    /** Patients with an objection whose end has passed at `atMs`, with the Consents that ended. */
    endedObjections(atMs: number): [string, string[]][] {
      const out: [string, string[]][] = [];
      for (const doc of byId.values()) {
        const ended = doc.objections.filter((o) => o.untilAt !== '' && !(Date.parse(o.untilAt) > atMs)).map((o) => o.consentId);
        if (ended.length) out.push([doc.patientId, ended]);
      }
      return out;
    },
    /** Counts a resource as withheld for its patient, under one reason only (the caller's latest reading). */
    withhold(patientId: string, key: string, reason: 'restricted' | 'sharing-objection') {
      const doc = this.ensure(patientId);
      const [target, other] = reason === 'restricted' ? (['withheldRestricted', 'withheldObjection'] as const) : (['withheldObjection', 'withheldRestricted'] as const);
      if (doc[target].includes(key) && !doc[other].includes(key)) return;
      doc[other] = doc[other].filter((k) => k !== key);
      if (!doc[target].includes(key)) doc[target] = [...doc[target], key];
      touch(doc);
    },
    /** The resource is no longer withheld (now cached, or deleted on the server). */
    release(patientId: string, key: string) {
      const doc = byId.get(patientId);
      if (!doc || (!doc.withheldRestricted.includes(key) && !doc.withheldObjection.includes(key))) return;
      doc.withheldRestricted = doc.withheldRestricted.filter((k) => k !== key);
      doc.withheldObjection = doc.withheldObjection.filter((k) => k !== key);
      touch(doc);
    },
    /** Releases `key` wherever it is counted (a deletion names no patient). */
    releaseEverywhere(key: string) {
      for (const doc of byId.values()) if (doc.withheldRestricted.includes(key) || doc.withheldObjection.includes(key)) this.release(doc.patientId, key);
    },
    forget(patientId: string) {
      byId.delete(patientId);
      changed.delete(patientId);
      removed.add(patientId);
    },
    /** Writes what changed since the last flush. */
    async flush(): Promise<void> {
      const docs = [...changed].map((id) => byId.get(id)).filter((d): d is PatientScopeDoc => d !== undefined);
      changed.clear();
      const gone = [...removed];
      removed.clear();
      await repo.putAll(docs);
      await repo.removeAll(gone);
    },
  };
}
export type ScopeBook = ReturnType<typeof createScopeBook>;
