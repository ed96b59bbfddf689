import type { LocalStore } from './localStore';
import type { PatientScopeDoc } from './schemas';

/** Reads and writes why each patient is cached (patientscopes); whole documents, written in bulk. */
export type ScopeRepo = Readonly<{
  all(): Promise<PatientScopeDoc[]>;
  get(patientId: string): Promise<PatientScopeDoc | null>;
  putAll(docs: readonly PatientScopeDoc[]): Promise<void>;
  removeAll(patientIds: readonly string[]): Promise<void>;
}>;

const plain = (doc: PatientScopeDoc): PatientScopeDoc => ({
  patientId: doc.patientId,
  holds: doc.holds.map((h) => ({ scope: h.scope, since: h.since, untilAt: h.untilAt, ref: h.ref, pending: [...h.pending] })),
  district: doc.district,
  activePlanIds: [...doc.activePlanIds],
  // Derived from the per-type map, so the two can never disagree.
  consentConfirmedAt: doc.confirmedAtByType?.Consent ?? '',
  confirmedAtByType: { ...(doc.confirmedAtByType ?? {}) },
  withheldRestricted: [...(doc.withheldRestricted ?? [])],
  withheldObjection: [...(doc.withheldObjection ?? [])],
  objections: (doc.objections ?? []).map((o) => ({ consentId: o.consentId, untilAt: o.untilAt })),
  updatedAt: doc.updatedAt,
});

export function createScopeRepo(store: LocalStore): ScopeRepo {
  const { patientScopes } = store;
  return {
    async all() {
      const docs = await patientScopes.find().exec();
      return docs.map((d) => plain(d.toJSON() as PatientScopeDoc));
    },
    async get(patientId) {
      const doc = await patientScopes.findOne(patientId).exec();
      return doc ? plain(doc.toJSON() as PatientScopeDoc) : null;
    },
    async putAll(docs) {
      if (docs.length === 0) return;
      const result = await patientScopes.bulkUpsert(docs.map(plain));
      if (result.error.length > 0) throw new Error(`patient scope write failed for ${result.error.length} documents`);
    },
    async removeAll(patientIds) {
      if (patientIds.length) await patientScopes.bulkRemove([...patientIds]);
    },
  };
}
