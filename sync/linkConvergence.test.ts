import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_RECORD_TYPES } from '../core/fhirCodes';
import { type LinkProfile, type LinkStats, LINK_PROFILES, type LinkedSandbox, startSandboxBehindLink } from '../sandbox/linkProxy';
import { ALL_DISTRICTS, openTestClient } from './syncTestKit';

/**
 * Issue #18: a sync over the "edge of coverage" link, cut again and again, still converges to
 * the store a clean link gives, without restarting from zero, wasting at most the responses in
 * flight at each cut. Every request and byte crosses a real loopback TCP proxy (sandbox/linkProxy.ts).
 *
 * Compressed so the test takes seconds, not minutes: the real profile cuts every 20 s (at 256
 * kbit/s about 640 KB); here the link cuts after every `cutBytes` bytes from the server (what a run
 * with nothing new costs, plus a sixth of the rest of the initial sync or three of its largest responses,
 * whichever is more), with a shorter RTT and
 * more bandwidth, the profile's 5% segment loss, and 250 ms without signal after each cut. Cuts by
 * bytes rather than by time keep the count of cuts the same on a loaded machine; the assertions
 * count requests and bytes, never time.
 */
const PAGE = 20;
const PATIENTS = 100;
const SEED = 11;
/** What the area scope reads: the Patient and every type of the record. */
const AREA_TYPES = ['Patient', ...ALL_RECORD_TYPES];

type CleanRun = Readonly<{ fingerprint: Map<string, string>; stats: LinkStats; requests: number; idleRequests: number; idleBytes: number }>;

const CLEAN: LinkProfile = { rttMs: 0, bitsPerSecond: 200_000_000, dropRate: 0, cut: null, cutDownMs: 0 };

/** A seeded PRNG (mulberry32) so the lost segments are the same on every run of the test. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let clean: CleanRun;
let linked: LinkedSandbox | undefined;

beforeAll(async () => {
  const line = await startSandboxBehindLink({ patients: PATIENTS, seed: SEED }, CLEAN);
  const client = await openTestClient({ baseUrl: line.baseUrl, area: ALL_DISTRICTS, pageSize: PAGE });
  try {
    const first = await client.engine.run();
    expect(first.lastFailure).toBeNull();
    const stats = line.link.stats();
    const requests = client.engine.clientStats().requests;
    // A run with nothing new: what every extra run costs in requests and bytes (probe, empty pages).
    await client.engine.run();
    clean = {
      fingerprint: await client.fingerprint(),
      stats,
      requests,
      idleRequests: client.engine.clientStats().requests - requests,
      idleBytes: line.link.stats().bytesDown - stats.bytesDown,
    };
  } finally {
    await client.close();
    await line.close();
  }
  expect(clean.fingerprint.size).toBeGreaterThan(200);
}, 60_000);

afterAll(async () => {
  await linked?.close();
});

describe('a sync over a link cut again and again (edge of coverage, compressed)', () => {
  it('converges to the clean store, resuming where each cut left it', async () => {
    // Every run first re-asks each type's search and history from its checkpoint (empty pages when
    // nothing changed): a cut must leave room for that and for progress, as 20 s at 256 kbit/s does.
    const cutBytes = clean.idleBytes + Math.max(Math.ceil((clean.stats.bytesDown - clean.idleBytes) / 6), 3 * clean.stats.largestResponse);
    const edge = LINK_PROFILES['edge of coverage'];
    const profile: LinkProfile = { rttMs: 40, bitsPerSecond: 20_000_000, dropRate: edge.dropRate, cut: { everyBytes: cutBytes }, cutDownMs: 250 };
    linked = await startSandboxBehindLink({ patients: PATIENTS, seed: SEED }, profile, seeded(18));
    // Two attempts per request: a cut usually ends the run (offline), so resuming across runs is what is tested.
    const client = await openTestClient({ baseUrl: linked.baseUrl, area: ALL_DISTRICTS, pageSize: PAGE, maxAttempts: 2 });
    try {
      let runs = 0;
      let failedRuns = 0;
      for (; runs < 40; runs++) {
        const status = await client.engine.run();
        if (!status.lastFailure) break;
        expect(status.lastFailure.reason).toBe('offline');
        failedRuns++;
        await linked.link.whenUp();
      }
      runs++;
      const stats = linked.link.stats();
      const requests = client.engine.clientStats().requests;
      console.log(`link convergence: ${runs} runs (${failedRuns} ended by a cut), ${stats.cuts} cuts of ${cutBytes} bytes, ${stats.lostSegments} segments lost; ${stats.bytesDown} bytes down vs ${clean.stats.bytesDown} clean (+${clean.idleBytes} per extra run); ${requests} requests vs ${clean.requests} clean (+${clean.idleRequests} per extra run); largest response ${clean.stats.largestResponse}`);

      // The link really was bad: several cuts, runs ended by them, segments lost.
      expect(stats.cuts).toBeGreaterThanOrEqual(3);
      expect(failedRuns).toBeGreaterThanOrEqual(2);
      expect(stats.lostSegments).toBeGreaterThan(0);
      // Converged: the same store as the clean link.
      expect(runs).toBeLessThan(40);
      expect(await client.fingerprint()).toEqual(clean.fingerprint);
      // No restart from zero: beyond what the clean sync and the extra runs' probes cost, each
      // cut wasted at most the two responses that can be in flight (the page and the one fetched
      // ahead), bounded by the largest response of the clean sync.
      const wastedBytes = stats.bytesDown - clean.stats.bytesDown - (runs - 1) * clean.idleBytes;
      expect(wastedBytes).toBeLessThanOrEqual(stats.cuts * 2 * clean.stats.largestResponse);
      // A restart from zero would re-download the whole sync at least once (and, with cuts shorter
      // than the sync, never finish).
      expect(stats.bytesDown - (runs - 1) * clean.idleBytes).toBeLessThan(clean.stats.bytesDown * 1.5);
      // Requests: each cut costs at most the two in flight again plus a retry of each.
      expect(requests - clean.requests - (runs - 1) * clean.idleRequests).toBeLessThanOrEqual(stats.cuts * 4);
      // The run that completed re-received at most one page of resources already committed, beyond
      // the one resource per type that a `_lastUpdated=ge` resume asks for again by design (LESSONS:
      // Android FHIR SDK #1148) and de-duplicates.
      expect(client.engine.lastRun()?.stats.duplicates ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(PAGE + AREA_TYPES.length);
    } finally {
      await client.close();
    }
  }, 90_000);
});
