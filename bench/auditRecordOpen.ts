import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDispatcher } from '../main/dispatch';
import { createHandlers } from '../main/handlers/index';
import { createRecordAccess } from '../main/handlers/recordAccess';
import type { Services } from '../main/handlers/services';
import type { AuditPort } from '../main/services/auditPort';
import { startCore } from '../main/services/testCalls';

type Dispatch = (raw: unknown) => Promise<{ ok: boolean; value?: unknown }>;

async function timed(dispatch: Dispatch, call: unknown): Promise<number> {
  const t0 = performance.now();
  const result = await dispatch(call);
  const ms = performance.now() - t0;
  if (!result.ok) throw new Error('record.open failed in the benchmark');
  return ms;
}

/**
 * record.open through the real dispatcher and handlers, against the embedded sandbox and a real
 * encrypted store: once as shipped (the audit entry is fsynced before the view returns) and once
 * with an audit port that does nothing — interleaved, so both see the same machine state.
 */
export async function measureRecordOpen(iterations: number): Promise<{ withAuditMs: number; withoutAuditMs: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-bench-open-'));
  const core = await startCore(dataDir, [], null, { sandboxOptions: { patients: 30, seed: 1 } });
  try {
    const signIn = (await core.dispatch({ method: 'session.signIn', params: { userId: 'demo-paramedic-1', pin: '111111' } })) as { ok: boolean; value: { sessionToken: string } };
    const sessionToken = signIn.value.sessionToken;
    await core.dispatch({ method: 'sync.run', params: {}, sessionToken });
    const list = (await core.dispatch({ method: 'incidents.list', params: {}, sessionToken })) as {
      value: { incidents: { incidentId: string; patient: { patientId: string } | null }[] };
    };
    const incident = list.value.incidents.find((i) => i.patient)!;
    const call = { method: 'record.open', params: { patientId: incident.patient!.patientId, incidentId: incident.incidentId }, sessionToken };
    // The same services with an audit port that writes nothing: the difference is the audit's cost.
    const noAudit: AuditPort = { durableBeforeAnswer: async () => {}, recordedOrDeferred: async () => {} };
    const unaudited: Services = { ...core.services, audit: noAudit, access: createRecordAccess({ store: core.services.store, audit: noAudit, now: core.services.now, staleAfterMs: core.services.config.policy.staleAfterMs }) };
    const withoutAudit = createDispatcher(createHandlers(unaudited), core.services.sessions, () => {});
    let withMs = 0;
    let withoutMs = 0;
    for (let i = 0; i < 20; i++) {
      await timed(core.dispatch, call);
      await timed(withoutAudit, call);
    }
    for (let i = 0; i < iterations; i++) {
      withMs += await timed(core.dispatch, call);
      withoutMs += await timed(withoutAudit, call);
    }
    return { withAuditMs: withMs / iterations, withoutAuditMs: withoutMs / iterations };
  } finally {
    await core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
