import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MethodName, ParamsOf, ResultOf } from '../../contract/methods';
import { type AppCore, createAppCore } from '../app';

/** Test helpers for the security integration tests: a real app core (sandbox over HTTP, encrypted SQLite) and typed calls. */
export type CallResult<M extends MethodName> = { ok: true; value: ResultOf<M> } | { ok: false; error: { code: string; message: string } };

export function caller(core: () => AppCore) {
  async function call<M extends MethodName>(method: M, params: ParamsOf<M>, sessionToken?: string): Promise<CallResult<M>> {
    return core().dispatch({ method, params, ...(sessionToken ? { sessionToken } : {}) }) as Promise<CallResult<M>>;
  }
  async function value<M extends MethodName>(method: M, params: ParamsOf<M>, sessionToken?: string): Promise<ResultOf<M>> {
    const result = await call(method, params, sessionToken);
    if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
    return result.value;
  }
  const signIn = async (userId: string, pin: string) => (await value('session.signIn', { userId, pin })).sessionToken;
  return { call, value, signIn };
}

export const tempDataDir = (label: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `onscene-${label}-`));

/** A core on `dataDir` with the embedded sandbox; `log` collects every log line for PHI checks. */
export function startCore(dataDir: string, log: string[] = [], centralUrl: string | null = null): Promise<AppCore> {
  return createAppCore({
    config: { centralUrl, dataDir, port: 0, centralToken: null, vehicle: 'K101', syncIntervalMs: 3_600_000 },
    emit: () => {},
    log: (line) => log.push(line),
    sandboxPatients: 12,
  });
}
