import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLocalStore } from '../localStore';
import { openConnection } from '../storage/connection';
import { auditTrailMigration } from './m0001AuditTrail';
import { triageEpisodesMigration } from './m0002TriageEpisodes';
import { readSchemaVersion, runMigrations } from './index';

// A format-2 file: the pre-migration fixture brought to format 2 only, as the previous build left it.
const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'v0-onscene.sqlite');
const KEY = '0123456789abcdef'.repeat(4);
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-m0003-'));
  fs.copyFileSync(FIXTURE, path.join(dir, 'onscene.sqlite'));
  const { db } = openConnection({ directory: dir, key: KEY }, 'onscene');
  runMigrations(db, [auditTrailMigration, triageEpisodesMigration]);
  expect(readSchemaVersion(db)).toBe(2);
  db.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migration 3 (patient index, call references) on a format-2 file', () => {
  it('adds the tables, indexes every cached Patient on first open, and keeps the documents and audit chain', async () => {
    const store = await openLocalStore({ directory: dir, key: KEY });
    try {
      const cachedPatients = await store.resources.count({ selector: { resourceType: 'Patient' } }).exec();
      expect(cachedPatients).toBe(2);
      expect(store.patients.count()).toBe(cachedPatients);
      expect(await store.outbox.count().exec()).toBe(2);
      expect(store.audit.verify()).toMatchObject({ ok: true });
      store.calls.record('111-20260615-0001', '2026-06-15T10:00:00.000Z', 'demo-call-handler-1');
      store.calls.record('111-20260615-0001', '2026-06-15T11:00:00.000Z', 'someone-else');
      expect(store.calls.find('111-20260615-0001')).toEqual({ reference: '111-20260615-0001', startedAt: '2026-06-15T10:00:00.000Z', startedBy: 'demo-call-handler-1' });
      expect(store.calls.find('111-NEVER-SEEN')).toBeNull();
    } finally {
      await store.close();
    }
    const { db } = openConnection({ directory: dir, key: KEY }, 'onscene');
    expect(readSchemaVersion(db)).toBe(3);
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'patient_index'").all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toEqual(expect.arrayContaining(['patient_index_nhs', 'patient_index_dob', 'patient_index_family_dob', 'patient_index_outward_dob', 'patient_index_postcode_dob']));
    db.close();
  });
});
