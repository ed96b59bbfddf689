/**
 * Child process for crash.test.ts: one device that records local writes and syncs, to be
 * SIGKILLed by the parent at a random moment. Prints "W <id>" only after a write is committed,
 * so the parent knows which writes must survive.
 * Usage: node --experimental-websocket --import tsx sync/crashChild.fixture.ts <baseUrl> <dir> <runId> <writes|forever>
 */
import { openLocalStore } from '../db/localStore';
import { createFhirClient } from './fhirClient';
import { createSyncEngine } from './syncEngine';
import { ALL_DISTRICTS } from './syncTestKit';

async function main(): Promise<void> {
  const [baseUrl = '', dir = '', runId = '0', writes = '4'] = process.argv.slice(2);
  const store = await openLocalStore({ directory: dir, key: 'c'.repeat(64) });
  const engine = createSyncEngine({
    client: createFhirClient({ baseUrl, ...(process.env.CENTRAL_TOKEN ? { bearerToken: process.env.CENTRAL_TOKEN } : {}), timeoutMs: 5_000, retry: { baseDelayMs: 5, maxDelayMs: 20 } }),
    store,
    vehicle: 'K101',
    area: ALL_DISTRICTS,
    pageSize: 10,
    now: () => new Date(),
    onStatus: () => {},
    onPulled: () => {},
  });
  process.stdout.write('READY\n');
  // 'forever' records and syncs until the parent kills it.
  const count = writes === 'forever' ? Number.POSITIVE_INFINITY : Number(writes);
  for (let i = 0; i < count; i++) {
    const id = `obs-crash-${runId}-${i}`;
    await engine.recordLocal({
      resourceType: 'Observation', id, status: 'final', code: { text: 'Respiratory rate' },
      subject: { reference: `Patient/pat-00000${1 + (i % 3)}` }, valueQuantity: { value: 10 + i, unit: 'breaths/min' },
    });
    process.stdout.write(`W ${id}\n`);
    const status = await engine.run();
    process.stdout.write(`R ${status.lastFailure?.reason ?? 'ok'}\n`);
  }
  await engine.stop();
  await store.close();
  process.stdout.write('DONE\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`crash child failed: ${error instanceof Error ? error.name : 'unknown'}\n`);
  process.exit(1);
});
