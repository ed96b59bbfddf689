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
      if (!doc) byId.set(patientId, (doc = { patientId, holds: [], district: '', activePlanIds: [], consentConfirmedAt: '', updatedAt: now() }));
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
     * Records that a completed Consent pull for `scope` covered its members at `at` (server time):
     * members still waiting for a Consent catch-up in that scope are not covered.
     */
    confirmConsent(scope: ScopeName, at: string) {
      for (const doc of byId.values()) {
        const hold = openHold(doc, scope);
        if (!hold || hold.pending.includes('Consent')) continue;
        if (doc.consentConfirmedAt !== '' && Date.parse(doc.consentConfirmedAt) >= Date.parse(at)) continue;
        doc.consentConfirmedAt = at;
        touch(doc);
      }
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
