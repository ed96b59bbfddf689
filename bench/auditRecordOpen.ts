import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppCore } from '../main/app';
import { createDispatcher } from '../main/dispatch';
import { createHandlers } from '../main/services/handlers';
import type { AppState } from '../main/services/appState';

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
 * with handlers whose appendAudit does nothing — interleaved, so both see the same machine state.
 */
export async function measureRecordOpen(iterations: number): Promise<{ withAuditMs: number; withoutAuditMs: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-bench-open-'));
  const core = await createAppCore({
    config: { centralUrl: null, dataDir, port: 0, centralToken: null, vehicle: 'K101', syncIntervalMs: 3_600_000 },
    emit: () => {},
    log: () => {},
    sandboxPatients: 30,
  });
  try {
    const signIn = (await core.dispatch({ method: 'session.signIn', params: { userId: 'demo-paramedic-1', pin: '1111' } })) as { ok: boolean; value: { sessionToken: string } };
    const sessionToken = signIn.value.sessionToken;
    await core.dispatch({ method: 'sync.run', params: {}, sessionToken });
    const list = (await core.dispatch({ method: 'incidents.list', params: {}, sessionToken })) as {
      value: { incidents: { incidentId: string; patient: { patientId: string } | null }[] };
    };
    const incident = list.value.incidents.find((i) => i.patient)!;
    const call = { method: 'record.open', params: { patientId: incident.patient!.patientId, incidentId: incident.incidentId }, sessionToken };
    const unaudited = { ...core.state, appendAudit: (() => undefined) as unknown as AppState['appendAudit'] } satisfies AppState;
    const withoutAudit = createDispatcher(createHandlers(unaudited), core.state.sessions, () => {});
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
