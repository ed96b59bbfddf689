import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type RxCollection, type RxJsonSchema, createRxDatabase } from 'rxdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIssueRepo } from './issueRepo';
import { openLocalStore } from './localStore';
import { syncIssueMigrationStrategies, syncIssueSchema } from './schemas';
import { getRxStorageSQLite } from './storage/index';

// syncissues version 0 → 1 (issue #14) on a real encrypted file written by version 0: a conflict
// recorded before keeps both versions and is reviewed two-way (no base version), and version 1
// documents keep the base they were written with.
const KEY = '8'.repeat(64);
const NAME = 'issues-v0';
let dir: string;

type IssueDocV0 = {
  key: string; kind: string; state: string; at: string; resourceType: string; resourceId: string; patientId: string;
  reason: string; local: Record<string, unknown> | null; server: Record<string, unknown> | null; count: number;
};

/** Version 0 exactly as it shipped (db/schemas.ts before issue #14). */
const issueSchemaV0: RxJsonSchema<IssueDocV0> = {
  title: 'sync issues for review',
  version: 0,
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
  },
  required: ['key', 'kind', 'state', 'at', 'resourceType', 'resourceId', 'patientId', 'reason', 'local', 'server', 'count'],
  indexes: [['kind', 'state', 'at']],
  additionalProperties: false,
};

const CONFLICT: IssueDocV0 = {
  key: 'conflict:CarePlan/cp-1:5', kind: 'conflict', state: 'open', at: '2026-11-20T09:00:00.000Z', resourceType: 'CarePlan', resourceId: 'cp-1',
  patientId: 'pat-000001', reason: '412 base 3', local: { resourceType: 'CarePlan', id: 'cp-1', description: 'ours' }, server: { resourceType: 'CarePlan', id: 'cp-1', description: 'theirs' }, count: 1,
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-issues-v0-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('syncissues version 1', () => {
  it('is a bump with a strategy for it', () => {
    expect(syncIssueSchema.version).toBe(1);
    expect(Object.keys(syncIssueMigrationStrategies)).toEqual(['1']);
  });

  it('migrates version 0 conflicts with no base version, and keeps the base of new ones', async () => {
    const v0 = await createRxDatabase<{ syncissues: RxCollection<IssueDocV0> }>({ name: NAME, storage: getRxStorageSQLite({ directory: dir, key: KEY }), multiInstance: false });
    await v0.addCollections({ syncissues: { schema: issueSchemaV0 } });
    await v0.syncissues.bulkInsert([CONFLICT, { ...CONFLICT, key: 'purged:pat-000002', kind: 'purged', state: 'info', local: null, server: null, reason: 'expired|search' }]);
    await v0.close();

    const store = await openLocalStore({ directory: dir, key: KEY, name: NAME });
    try {
      const issues = createIssueRepo(store);
      expect(await issues.get(CONFLICT.key)).toEqual({ ...CONFLICT, base: null, localRecordedAt: '' });
      expect(await issues.get('purged:pat-000002')).toMatchObject({ kind: 'purged', base: null });
      const base = { resourceType: 'CarePlan', id: 'cp-2', description: 'before', meta: { versionId: '3' } };
      await issues.put({ ...CONFLICT, key: 'conflict:CarePlan/cp-2:9', resourceId: 'cp-2', kind: 'conflict', state: 'open', base, localRecordedAt: '2026-11-21T10:00:00.000Z' });
      expect(await issues.get('conflict:CarePlan/cp-2:9')).toMatchObject({ base, localRecordedAt: '2026-11-21T10:00:00.000Z' });
    } finally {
      await store.close();
    }
  });
});
