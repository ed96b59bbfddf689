import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDispatcher } from '../main/dispatch';
import { createHandlers } from '../main/handlers/index';
import { createRecordAccess } from '../main/handlers/recordAccess';
import type { Services } from '../main/handlers/services';
import type { AuditPort } from '../main/services/auditPort';
import { startCore } from '../main/services/testCalls';
import { LONDON_DISTRICTS } from '../sandbox/synthLists';

type Dispatch = (raw: unknown) => Promise<{ ok: boolean; value?: unknown }>;

async function timed(dispatch: Dispatch, call: unknown): Promise<number> {
  const t0 = performance.now();
  const result = await dispatch(call);
  const ms = performance.now() - t0;
  if (!result.ok) throw new Error('record.open failed in the benchmark');
  return ms;
}

const p95 = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? Number.NaN;
};

export type RecordOpenFigures = Readonly<{
  withAuditMs: number;
  withoutAuditMs: number;
  withAuditP95Ms: number;
  /** record.open calls per second (each with its durable audit entry) with `callers` concurrent callers. */
  concurrentPerS: number;
  callers: number;
  cachedPatients: number;
}>;

/**
 * record.open through the real dispatcher and handlers, against the embedded sandbox and a real
 * encrypted store holding the whole region (`patients` cached): once as shipped (the audit entry
 * is fsynced before the view returns) and once with an audit port that does nothing — interleaved,
 * so both see the same machine state — then `callers` concurrent callers as shipped.
 */
export async function measureRecordOpen(iterations: number, patients = 10_000, callers = 8): Promise<RecordOpenFigures> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-bench-open-'));
  const area = { districts: LONDON_DISTRICTS, requireActiveCarePlan: false };
  const core = await startCore(dataDir, [], null, { sandboxOptions: { patients, seed: 1 }, config: { area } });
  try {
    const signIn = (await core.dispatch({ method: 'session.signIn', params: { userId: 'demo-paramedic-1', pin: '111111' } })) as { ok: boolean; value: { sessionToken: string } };
    const sessionToken = signIn.value.sessionToken;
    await core.dispatch({ method: 'sync.run', params: {}, sessionToken });
    const cachedPatients = core.store().patients.count();
    const list = (await core.dispatch({ method: 'incidents.list', params: {}, sessionToken })) as {
      value: { incidents: { incidentId: string; patient: { patientId: string } | null }[] };
    };
    const incident = list.value.incidents.find((i) => i.patient)!;
    const call = { method: 'record.open', params: { patientId: incident.patient!.patientId, incidentId: incident.incidentId }, sessionToken };
    // The same services with an audit port that writes nothing: the difference is the audit's cost.
    const noAudit: AuditPort = { durableBeforeAnswer: async () => {}, recordedOrDeferred: async () => {} };
    const unaudited: Services = { ...core.services, audit: noAudit, access: createRecordAccess({ store: core.services.store, audit: noAudit, now: core.services.now, staleAfterMs: core.services.config.policy.staleAfterMs }) };
    const withoutAudit = createDispatcher(createHandlers(unaudited), core.services.sessions, () => {});
    for (let i = 0; i < 20; i++) {
      await timed(core.dispatch, call);
      await timed(withoutAudit, call);
    }
    const withMs: number[] = [];
    const withoutMs: number[] = [];
    for (let i = 0; i < iterations; i++) {
      withMs.push(await timed(core.dispatch, call));
      withoutMs.push(await timed(withoutAudit, call));
    }
    let done = 0;
    const total = iterations * callers;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: callers }, async () => {
      while (done++ < total) await timed(core.dispatch, call);
    }));
    const concurrentPerS = total / ((performance.now() - t0) / 1000);
    const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    return { withAuditMs: mean(withMs), withoutAuditMs: mean(withoutMs), withAuditP95Ms: p95(withMs), concurrentPerS, callers, cachedPatients };
  } finally {
    await core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
