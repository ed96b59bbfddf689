import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalStore, openLocalStore } from './localStore';
import { type ResourceRepo, createResourceRepo } from './resourceRepo';

import { watchRecordChanges } from './recordChanges';

let dir: string;
let store: LocalStore;
let repo: ResourceRepo;
let reported: string[][];
let stop: () => void;

const allergy = (id: string, patientId: string, versionId: string, substance: string) =>
  ({ resourceType: 'AllergyIntolerance', id, meta: { versionId, lastUpdated: `2026-12-03T10:0${versionId}:00Z` }, patient: { reference: `Patient/${patientId}` }, code: { text: substance } }) as unknown as Parameters<ResourceRepo['upsertFromServer']>[0][number];
const settle = () => new Promise((resolve) => setTimeout(resolve, 80));

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-record-changes-'));
  store = await openLocalStore({ directory: dir, key: 'e'.repeat(64), name: `changes-${path.basename(dir)}` });
  repo = createResourceRepo(store);
  reported = [];
  stop = watchRecordChanges(store, { debounceMs: 20, onChanged: (ids) => reported.push([...ids].sort()) });
});
afterEach(async () => {
  stop();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('record changes from the store change stream', () => {
  it('reports each changed patient once per burst, and nothing for a re-confirmation of the same version', async () => {
    await repo.upsertFromServer([allergy('a1', 'pat-1', '1', 'latex'), allergy('a2', 'pat-2', '1', 'penicillin'), allergy('a3', 'pat-1', '1', 'nuts')], '2026-12-03T10:10:00Z');
    await settle();
    expect(reported).toEqual([['pat-1', 'pat-2']]);
    await repo.upsertFromServer([allergy('a1', 'pat-1', '1', 'latex')], '2026-12-03T11:10:00Z'); // confirmed again, unchanged
    await settle();
    expect(reported).toHaveLength(1);
    await repo.upsertFromServer([allergy('a1', 'pat-1', '2', 'latex (severe)')], '2026-12-03T11:20:00Z');
    await settle();
    expect(reported.at(-1)).toEqual(['pat-1']);
  });

  it('reports information newly withheld, but not a run that only moved the confirmation stamps', async () => {
    const scope = { patientId: 'pat-7', holds: [], district: '', activePlanIds: [], consentConfirmedAt: '', confirmedAtByType: {}, withheldRestricted: [], withheldObjection: [], objections: [], updatedAt: '2026-12-03T10:00:00Z' };
    await store.patientScopes.upsert(scope);
    await settle();
    reported = [];
    await store.patientScopes.upsert({ ...scope, confirmedAtByType: { Consent: '2026-12-03T11:00:00Z' }, consentConfirmedAt: '2026-12-03T11:00:00Z', updatedAt: '2026-12-03T11:00:00Z' });
    await settle();
    expect(reported).toEqual([]);
    await store.patientScopes.upsert({ ...scope, withheldRestricted: ['Condition/c-9'], updatedAt: '2026-12-03T11:05:00Z' });
    await settle();
    expect(reported).toEqual([['pat-7']]);
  });

  it('reports a purge, and stops reporting once stopped', async () => {
    await repo.upsertFromServer([allergy('a9', 'pat-9', '1', 'latex')], '2026-12-03T10:10:00Z');
    await settle();
    await repo.removePatient('pat-9');
    await settle();
    expect(reported.at(-1)).toEqual(['pat-9']);
    stop();
    await repo.upsertFromServer([allergy('a8', 'pat-8', '1', 'latex')], '2026-12-03T10:10:00Z');
    await settle();
    expect(reported.flat()).not.toContain('pat-8');
  });
});
