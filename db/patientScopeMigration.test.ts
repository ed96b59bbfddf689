import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type RxCollection, type RxJsonSchema, createRxDatabase } from 'rxdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLocalStore } from './localStore';
import { createResourceRepo } from './resourceRepo';
import { patientScopeMigrationStrategies, patientScopeSchema } from './schemas';
import { createScopeRepo } from './scopeRepo';
import { getRxStorageSQLite } from './storage/index';

// patientscopes version 0 → 1 (issue #11) on a real encrypted file written by version 0, then
// opened by the store as a new build would: Consent's confirmation carries over into the per-type
// map, nothing is withheld, and the holds are untouched.
const KEY = '7'.repeat(64);
const NAME = 'scopes-v0';
let dir: string;

type ScopeDocV0 = {
  patientId: string;
  holds: { scope: string; since: string; untilAt: string; ref: string; pending: string[] }[];
  district: string;
  activePlanIds: string[];
  consentConfirmedAt: string;
  updatedAt: string;
};

/** Version 0 exactly as it shipped (db/schemas.ts before issue #11). */
const scopeSchemaV0: RxJsonSchema<ScopeDocV0> = {
  title: 'patient scope holds',
  version: 0,
  primaryKey: 'patientId',
  type: 'object',
  properties: {
    patientId: { type: 'string', maxLength: 128 },
    holds: {
      type: 'array',
      items: {
        type: 'object',
        properties: { scope: { type: 'string' }, since: { type: 'string' }, untilAt: { type: 'string' }, ref: { type: 'string' }, pending: { type: 'array', items: { type: 'string' } } },
        required: ['scope', 'since', 'untilAt', 'ref', 'pending'],
      },
    },
    district: { type: 'string', maxLength: 16 },
    activePlanIds: { type: 'array', items: { type: 'string' } },
    consentConfirmedAt: { type: 'string', maxLength: 40 },
    updatedAt: { type: 'string', maxLength: 40 },
  },
  required: ['patientId', 'holds', 'district', 'activePlanIds', 'consentConfirmedAt', 'updatedAt'],
  additionalProperties: false,
};

const HOLD = { scope: 'incident', since: '2026-11-20T09:00:00.000Z', untilAt: '', ref: 'task-000001-active', pending: ['Flag'] };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-scopes-v0-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('patientscopes version 1', () => {
  it('is a bump with a strategy for it', () => {
    expect(patientScopeSchema.version).toBe(1);
    expect(Object.keys(patientScopeMigrationStrategies)).toEqual(['1']);
  });

  it('migrates version 0 documents: the Consent confirmation becomes the map, nothing withheld, holds kept', async () => {
    const v0 = await createRxDatabase<{ patientscopes: RxCollection<ScopeDocV0> }>({
      name: NAME,
      storage: getRxStorageSQLite({ directory: dir, key: KEY }),
      multiInstance: false,
    });
    await v0.addCollections({ patientscopes: { schema: scopeSchemaV0 } });
    await v0.patientscopes.bulkInsert([
      { patientId: 'pat-000001', holds: [HOLD], district: 'E8', activePlanIds: ['careplan-000001-eol'], consentConfirmedAt: '2026-11-20T09:00:02.000Z', updatedAt: '2026-11-20T09:00:03.000Z' },
      { patientId: 'pat-000002', holds: [HOLD], district: '', activePlanIds: [], consentConfirmedAt: '', updatedAt: '2026-11-20T09:00:03.000Z' },
    ]);
    await v0.close();

    const store = await openLocalStore({ directory: dir, key: KEY, name: NAME });
    try {
      const repo = createScopeRepo(store);
      expect(await repo.get('pat-000001')).toEqual({
        patientId: 'pat-000001', holds: [HOLD], district: 'E8', activePlanIds: ['careplan-000001-eol'],
        consentConfirmedAt: '2026-11-20T09:00:02.000Z', confirmedAtByType: { Consent: '2026-11-20T09:00:02.000Z' },
        withheldRestricted: [], withheldObjection: [], objections: [], updatedAt: '2026-11-20T09:00:03.000Z',
      });
      expect(await repo.get('pat-000002')).toMatchObject({ consentConfirmedAt: '', confirmedAtByType: {} });
      const facts = await createResourceRepo(store).recordViewFacts('pat-000001');
      expect(facts).toMatchObject({ consentConfirmedAt: '2026-11-20T09:00:02.000Z', confirmedAtByType: { Consent: '2026-11-20T09:00:02.000Z' }, withheld: null });
      // Version 1 documents are written and read back whole.
      await repo.putAll([{ ...(await repo.get('pat-000002'))!, confirmedAtByType: { Flag: '2026-11-21T10:00:00.000Z' }, withheldRestricted: ['Condition/c1'], objections: [{ consentId: 'c9', untilAt: '' }] }]);
      expect(await createResourceRepo(store).recordViewFacts('pat-000002')).toMatchObject({
        consentConfirmedAt: null, confirmedAtByType: { Flag: '2026-11-21T10:00:00.000Z' }, withheld: { reason: 'sharing-objection', count: 1, types: ['Condition'] },
      });
    } finally {
      await store.close();
    }
  });
});
