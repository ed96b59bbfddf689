import type { MigrationStrategies, RxJsonSchema } from 'rxdb';

/**
 * RxDB schema versions (DESIGN §11): a change to a collection's shape bumps its schema's
 * `version` and adds the strategy for that version to the map beside it; key N turns a version
 * N-1 document into a version N one (or null to drop it). RxDB's migration-schema plugin runs
 * them when the store opens (db/rxMigrations.ts). Old documents are untyped on purpose: a
 * strategy narrows what it reads.
 */
export type CollectionMigrationStrategies = MigrationStrategies<Record<string, unknown>>;

/** One cached FHIR resource as the central record sent it, plus why and when we hold it. */
export type CachedResourceDoc = {
  /** `${resourceType}/${id}`: unique across types. */
  key: string;
  resourceType: string;
  resourceId: string;
  /** The patient this resource belongs to ('' for none), for "everything about patient P". */
  patientId: string;
  lastUpdated: string;
  /** Server time at which the central record last confirmed this version. */
  syncedAt: string;
  resource: Record<string, unknown>;
};

export const cachedResourceSchema: RxJsonSchema<CachedResourceDoc> = {
  title: 'cached FHIR resource',
  version: 0,
  primaryKey: 'key',
  type: 'object',
  properties: {
    key: { type: 'string', maxLength: 200 },
    resourceType: { type: 'string', maxLength: 64 },
    resourceId: { type: 'string', maxLength: 128 },
    patientId: { type: 'string', maxLength: 128 },
    lastUpdated: { type: 'string', maxLength: 40 },
    syncedAt: { type: 'string', maxLength: 40 },
    resource: { type: 'object', additionalProperties: true },
  },
  required: ['key', 'resourceType', 'resourceId', 'patientId', 'lastUpdated', 'syncedAt', 'resource'],
  indexes: [['patientId', 'resourceType'], ['resourceType', 'lastUpdated'], 'syncedAt'],
  additionalProperties: false,
};

/** Version N-1 documents to version N (none while the schema is at version 0). */
export const cachedResourceMigrationStrategies: CollectionMigrationStrategies = {};

/** Small named state the sync engine keeps: checkpoints, last success, the vehicle's device id. */
export type SyncStateDoc = { key: string; value: Record<string, unknown> };

export const syncStateSchema: RxJsonSchema<SyncStateDoc> = {
  title: 'sync state',
  version: 0,
  primaryKey: 'key',
  type: 'object',
  properties: {
    key: { type: 'string', maxLength: 100 },
    value: { type: 'object', additionalProperties: true },
  },
  required: ['key', 'value'],
  additionalProperties: false,
};

export const syncStateMigrationStrategies: CollectionMigrationStrategies = {};

/** Why a patient is cached: one hold per scope (DESIGN §4 "each cached patient records why and until when"). */
export type ScopeHold = {
  scope: string;
  /** Server time the patient entered the scope. */
  since: string;
  /** '' while the scope still holds the patient; otherwise the server time after which it may be purged. */
  untilAt: string;
  /** What put the patient in scope, without PHI: an incident (Task) id, a district, 'search'. */
  ref: string;
  /** Resource types not yet fetched whole for this patient (it joined after their checkpoint began). */
  pending: string[];
};

/** A Consent recording the patient's objection to sharing, while it is in force (sync/privacy.ts). */
export type SharingObjection = {
  consentId: string;
  /** '' open-ended; otherwise the server time its provision period ends. */
  untilAt: string;
};

/** One patient this device knows of: its holds, and the facts area membership is computed from. */
export type PatientScopeDoc = {
  patientId: string;
  holds: ScopeHold[];
  /** Postcode district (outward code) of the patient's home address, '' when unknown. */
  district: string;
  /** Ids of the patient's active CarePlans, as last seen. */
  activePlanIds: string[];
  /**
   * Server time at which a completed Consent pull last covered this patient ('' never): the only
   * honest age for "no resuscitation decision recorded". The Patient's own syncedAt is not, as the
   * Patient arrives with its incident every run even when the Consent pull then fails.
   * Always equal to confirmedAtByType.Consent (kept for readers of version 0).
   */
  consentConfirmedAt: string;
  /**
   * Per resource type: the server time at which a completed pull of that type last covered this
   * patient, changed or not (issue #11). A type absent was never confirmed.
   */
  confirmedAtByType: Record<string, string>;
  /** `Type/id` of resources not cached because they are labelled restricted or very restricted. */
  withheldRestricted: string[];
  /** `Type/id` of resources not cached because the patient objects to sharing. */
  withheldObjection: string[];
  /** The Consents that record an objection to sharing; while any is listed, only demographics are cached. */
  objections: SharingObjection[];
  updatedAt: string;
};

export const patientScopeSchema: RxJsonSchema<PatientScopeDoc> = {
  title: 'patient scope holds',
  version: 1,
  primaryKey: 'patientId',
  type: 'object',
  properties: {
    patientId: { type: 'string', maxLength: 128 },
    holds: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          scope: { type: 'string' },
          since: { type: 'string' },
          untilAt: { type: 'string' },
          ref: { type: 'string' },
          pending: { type: 'array', items: { type: 'string' } },
        },
        required: ['scope', 'since', 'untilAt', 'ref', 'pending'],
      },
    },
    district: { type: 'string', maxLength: 16 },
    activePlanIds: { type: 'array', items: { type: 'string' } },
    consentConfirmedAt: { type: 'string', maxLength: 40 },
    confirmedAtByType: { type: 'object', additionalProperties: { type: 'string' } },
    withheldRestricted: { type: 'array', items: { type: 'string' } },
    withheldObjection: { type: 'array', items: { type: 'string' } },
    objections: {
      type: 'array',
      items: {
        type: 'object',
        properties: { consentId: { type: 'string' }, untilAt: { type: 'string' } },
        required: ['consentId', 'untilAt'],
      },
    },
    updatedAt: { type: 'string', maxLength: 40 },
  },
  required: [
    'patientId', 'holds', 'district', 'activePlanIds', 'consentConfirmedAt', 'confirmedAtByType',
    'withheldRestricted', 'withheldObjection', 'objections', 'updatedAt',
  ],
  additionalProperties: false,
};

/**
 * 1 (issue #11): confirmation per resource type, and what is withheld. The one confirmation
 * version 0 knew (Consent) carries over; nothing was withheld before.
 */
export const patientScopeMigrationStrategies: CollectionMigrationStrategies = {
  1: (old) => {
    const consent = typeof old.consentConfirmedAt === 'string' ? old.consentConfirmedAt : '';
    return {
      ...old,
      consentConfirmedAt: consent,
      confirmedAtByType: consent === '' ? {} : { Consent: consent },
      withheldRestricted: [],
      withheldObjection: [],
      objections: [],
    };
  },
};

/** A resource recorded on this device and not yet accepted by the central record (CONVENTIONS 7: every write is a record). */
export type OutboxDoc = {
  key: string;
  resourceType: string;
  resourceId: string;
  patientId: string;
  /** Push order; also tells a push whether the entry changed while it was in flight. */
  seq: number;
  /** The local version, as it will be sent. */
  resource: Record<string, unknown>;
  /** versionId of the server version the edit started from; '' for a new resource. */
  baseVersionId: string;
  recordedAt: string;
};

export const outboxSchema: RxJsonSchema<OutboxDoc> = {
  title: 'outbox of local writes',
  version: 0,
  primaryKey: 'key',
  type: 'object',
  properties: {
    key: { type: 'string', maxLength: 200 },
    resourceType: { type: 'string', maxLength: 64 },
    resourceId: { type: 'string', maxLength: 128 },
    patientId: { type: 'string', maxLength: 128 },
    seq: { type: 'number', minimum: 0, maximum: 1e16, multipleOf: 1 },
    resource: { type: 'object', additionalProperties: true },
    baseVersionId: { type: 'string', maxLength: 64 },
    recordedAt: { type: 'string', maxLength: 40 },
  },
  required: ['key', 'resourceType', 'resourceId', 'patientId', 'seq', 'resource', 'baseVersionId', 'recordedAt'],
  indexes: ['seq'],
  additionalProperties: false,
};

export const outboxMigrationStrategies: CollectionMigrationStrategies = {};

/**
 * What sync set aside for a person to look at: a malformed incoming resource, a local write the
 * server refused, a conflict (both versions kept), or a purge the user may review.
 */
export type SyncIssueKind = 'quarantined-in' | 'rejected-out' | 'conflict' | 'purged';

export type SyncIssueDoc = {
  key: string;
  kind: SyncIssueKind;
  /** 'open' until a person resolves it; purges are 'info'. */
  state: 'open' | 'resolved' | 'info';
  at: string;
  resourceType: string;
  resourceId: string;
  patientId: string;
  /** A short reason without PHI: an HTTP status, zod issue paths, 'left-scope'. */
  reason: string;
  /** Conflicts and refused writes: the local version. */
  local: Record<string, unknown> | null;
  /** Conflicts: the server version that became current. */
  server: Record<string, unknown> | null;
  /** Purges: how many cached resources were removed. */
  count: number;
  /** Conflicts (v1, issue #14): the server version the local edit started from, when it could be read. */
  base: Record<string, unknown> | null;
  /** Conflicts (v1): when the local edit was saved on this device; '' when not known. */
  localRecordedAt: string;
};

export const syncIssueSchema: RxJsonSchema<SyncIssueDoc> = {
  title: 'sync issues for review',
  version: 1,
  primaryKey: 'key',
  type: 'object',
  properties: {
    key: { type: 'string', maxLength: 300 },
    kind: { type: 'string', maxLength: 20 },
    state: { type: 'string', maxLength: 10 },
    at: { type: 'string', maxLength: 40 },
    resourceType: { type: 'string', maxLength: 64 },
    resourceId: { type: 'string', maxLength: 128 },
    patientId: { type: 'string', maxLength: 128 },
    reason: { type: 'string', maxLength: 500 },
    local: { type: ['object', 'null'], additionalProperties: true },
    server: { type: ['object', 'null'], additionalProperties: true },
    count: { type: 'number' },
    base: { type: ['object', 'null'], additionalProperties: true },
    localRecordedAt: { type: 'string', maxLength: 40 },
  },
  required: ['key', 'kind', 'state', 'at', 'resourceType', 'resourceId', 'patientId', 'reason', 'local', 'server', 'count', 'base', 'localRecordedAt'],
  indexes: [['kind', 'state', 'at']],
  additionalProperties: false,
};

/**
 * 1 (issue #14): a conflict keeps the version the local edit started from, for a three-way review
 * and merge. Conflicts recorded before it have none: they are reviewed two-way.
 */
export const syncIssueMigrationStrategies: CollectionMigrationStrategies = {
  1: (old) => ({ ...old, base: null, localRecordedAt: '' }),
};
