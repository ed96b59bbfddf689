import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openConnection } from './connection';

// Issue #10: the encrypted database and its WAL/SHM are owner-only whatever the process umask.
describe('database file permissions', () => {
  it('creates the database, its WAL and shared-memory files 0600 in a 0700 folder, even under umask 000', () => {
    const previous = process.umask(0o000);
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-perm-')), 'data');
    try {
      const { db } = openConnection({ directory: dir, key: 'k'.repeat(64) }, 'onscene');
      db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
      const files = fs.readdirSync(dir).sort();
      expect(files).toEqual(['onscene.sqlite', 'onscene.sqlite-shm', 'onscene.sqlite-wal']);
      for (const file of files) expect((fs.statSync(path.join(dir, file)).mode & 0o777).toString(8)).toBe('600');
      expect((fs.statSync(dir).mode & 0o777).toString(8)).toBe('700');
      db.close();
    } finally {
      process.umask(previous);
    }
  });
});
