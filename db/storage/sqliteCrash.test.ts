import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const child = path.join(here, 'crashChild.fixture.ts');
let dir = '';

type ChildResult = Readonly<{ signal: NodeJS.Signals | null; stdout: string }>;

/** Runs the child; when `killAfterMs` is set the parent SIGKILLs it that long after it starts writing. */
function runChild(batchSize: number, killAt: number, killAfterMs?: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, String(batchSize), String(killAt)], {
      cwd: path.resolve(here, '../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (killAfterMs !== undefined && stdout.includes('writing')) {
        setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
      }
    });
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => resolve({ signal, stdout }));
  });
}

/** Counts rows with a plain connection, as a later app start would see them. */
function countBatchRows(): { committed: number; batch: number; integrity: string } {
  const db = new Database(path.join(dir, 'crash.sqlite'), { readonly: false });
  try {
    const count = (prefix: string) =>
      Number(db.prepare('SELECT count(*) FROM "rxdb_docs_v0" WHERE id LIKE ?').pluck().get(`${prefix}%`));
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    return { committed: count('committed-'), batch: count('batch-'), integrity };
  } finally {
    db.close();
  }
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rx-sqlite-crash-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('crash safety of bulkWrite', () => {
  it('SIGKILL in the middle of the transaction leaves none of the batch', async () => {
    const result = await runChild(5000, 2500);
    expect(result.signal).toBe('SIGKILL');
    expect(result.stdout).not.toContain('committed');
    expect(countBatchRows()).toEqual({ committed: 1, batch: 0, integrity: 'ok' });
  });

  it('SIGKILL at an arbitrary moment leaves all or none of a large batch', async () => {
    const batchSize = 60_000;
    const result = await runChild(batchSize, -1, 100);
    const { committed, batch, integrity } = countBatchRows();
    expect(result.signal === 'SIGKILL' || result.stdout.includes('committed')).toBe(true);
    expect(committed).toBe(1);
    expect([0, batchSize]).toContain(batch);
    expect(integrity).toBe('ok');
  });
});
