import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newTriage } from '../../core/triageEpisode';
import { openLocalStore } from '../localStore';
import { openConnection } from '../storage/connection';
import { TriageRevisionError } from '../triageStore';
import { auditTrailMigration } from './m0001AuditTrail';
import { readSchemaVersion, runMigrations } from './index';

// A format-1 file: the pre-migration fixture brought to format 1 only, as the previous build left it.
const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'v0-onscene.sqlite');
const KEY = '0123456789abcdef'.repeat(4);
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-m0002-'));
  fs.copyFileSync(FIXTURE, path.join(dir, 'onscene.sqlite'));
  const { db } = openConnection({ directory: dir, key: KEY }, 'onscene');
  runMigrations(db, [auditTrailMigration]);
  expect(readSchemaVersion(db)).toBe(1);
  db.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const by = { userId: 'demo-paramedic-1', name: 'Alex Testwood', practitionerId: 'prac-demo-paramedic-1' };

describe('migration 2 (triage episodes) on a format-1 file', () => {
  it('adds the table, keeps the documents and the audit chain, and stores episodes by revision', async () => {
    const store = await openLocalStore({ directory: dir, key: KEY });
    try {
      expect(await store.outbox.count().exec()).toBe(2);
      expect(store.audit.verify()).toMatchObject({ ok: true, count: 3 });
      const doc = newTriage({ triageId: 'tri-1', patientId: 'pat-000001', incidentId: null, isUnidentified: false, by, now: '2026-12-03T10:00:00.000Z' });
      expect(store.triage.save(doc, 0)).toBe(1);
      expect(store.triage.save({ ...doc, updatedAt: '2026-12-03T10:01:00.000Z' }, 1)).toBe(2);
      // A save that read an older revision (another window) is refused, never silently applied.
      expect(() => store.triage.save({ ...doc, updatedAt: '2026-12-03T10:02:00.000Z' }, 1)).toThrow(TriageRevisionError);
      expect(() => store.triage.save(doc, 0)).toThrow(TriageRevisionError);
      expect(store.triage.forPatient('pat-000001').map((s) => [s.doc.triageId, s.revision, s.doc.updatedAt])).toEqual([['tri-1', 2, '2026-12-03T10:01:00.000Z']]);
    } finally {
      await store.close();
    }
    const reopened = await openLocalStore({ directory: dir, key: KEY });
    expect(reopened.triage.get('tri-1')?.revision).toBe(2);
    await reopened.close();
  });

  it('refuses to show a row it cannot read as if it were empty', async () => {
    const store = await openLocalStore({ directory: dir, key: KEY });
    try {
      const { db } = openConnection({ directory: dir, key: KEY }, 'onscene');
      db.prepare("INSERT INTO triage_episode VALUES ('tri-bad', 'pat-000001', 'u', 1, 't', '{\"triageId\":1}')").run();
      db.close();
      expect(() => store.triage.get('tri-bad')).toThrow(/could not be read/);
    } finally {
      await store.close();
    }
  });
});
