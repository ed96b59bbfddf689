import type { RxJsonSchema } from 'rxdb';

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
