import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SyncStatus } from '../core/views';
import { type LocalStore, openLocalStore } from '../db/localStore';
import { createResourceRepo } from '../db/resourceRepo';
import type { AreaConfig } from './areaRules';
import { createFhirClient } from './fhirClient';
import { LONDON_DISTRICTS } from '../sandbox/synthLists';
import type { PurgeNotice } from './syncContext';
import { type SyncEngine, type SyncEngineDeps, createSyncEngine } from './syncEngine';

/**
 * Test wiring shared by the sync suites: a real encrypted SQLite store in a temp directory and a
 * real engine talking HTTP to a real sandbox. Retries are fast so fault tests stay quick.
 */
export type TestClient = Readonly<{
  dir: string;
  store: LocalStore;
  engine: SyncEngine;
  statuses: SyncStatus[];
  purges: PurgeNotice[];
  fingerprint(): Promise<Map<string, string>>;
  close(): Promise<void>;
}>;

export type TestClientOptions = Readonly<{
  baseUrl: string;
  vehicle?: string;
  area?: AreaConfig | null;
  pageSize?: number;
  dir?: string;
  key?: string;
  bearerToken?: string;
  now?: () => Date;
  maxAttempts?: number;
  onStatus?: (status: SyncStatus) => void;
  onPulled?: SyncEngineDeps['onPulled'];
  incidentGraceMs?: number;
  name?: string;
  /** Runs after each purge notice is recorded; throwing refuses the purge (the audit entry could not be written). */
  onPurge?: (notice: PurgeNotice) => void | Promise<void>;
  /** The monotonic clock the offline purge counts on (issue #14); default: this process's. */
  monotonic?: SyncEngineDeps['monotonic'];
}>;

/** Every district the synthetic record uses: with requireActiveCarePlan false, the whole region. */
export const ALL_DISTRICTS: AreaConfig = { districts: LONDON_DISTRICTS, requireActiveCarePlan: false };

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function openTestClient(options: TestClientOptions): Promise<TestClient> {
  const dir = options.dir ?? tempDir('onscene-sync-');
  const key = options.key ?? 'a'.repeat(64);
  // Each simulated device gets its own RxDB name: RxDB closes a same-named database in-process.
  const store = await openLocalStore({ directory: dir, key, name: options.name ?? `onscene-${path.basename(dir)}` });
  const statuses: SyncStatus[] = [];
  const purges: PurgeNotice[] = [];
  const client = createFhirClient({
    baseUrl: options.baseUrl,
    ...(options.bearerToken ? { bearerToken: options.bearerToken } : {}),
    timeoutMs: 5_000,
    retry: { baseDelayMs: 5, maxDelayMs: 40, maxAttempts: options.maxAttempts ?? 6 },
  });
  const engine = createSyncEngine({
    client,
    store,
    vehicle: options.vehicle ?? 'K101',
    area: options.area ?? null,
    pageSize: options.pageSize ?? 50,
    now: options.now ?? (() => new Date()),
    onStatus: (s) => {
      statuses.push(s);
      options.onStatus?.(s);
    },
    onPulled: options.onPulled ?? (() => {}),
    ...(options.incidentGraceMs === undefined ? {} : { incidentGraceMs: options.incidentGraceMs }),
    ...(options.monotonic ? { monotonic: options.monotonic } : {}),
    onPurge: async (notice) => {
      purges.push(notice);
      await options.onPurge?.(notice);
    },
  });
  return {
    dir,
    store,
    engine,
    statuses,
    purges,
    fingerprint: () => createResourceRepo(store).fingerprint(),
    async close() {
      await engine.stop();
      await store.close();
    },
  };
}

export const randomKey = (): string => randomBytes(32).toString('hex');
