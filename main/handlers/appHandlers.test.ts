import { afterAll, describe, expect, it } from 'vitest';
import type { UpdateStatus } from '../../contract/appMethods';
import { type App, composeApp } from '../compose';
import { configFor } from '../config';
import { tempDataDir } from '../services/testCalls';
import { UPDATES_UNMANAGED_MESSAGE, type UpdatePort } from './appHandlers';

// Issue #16: app.updateStatus / app.restartToUpdate through the real dispatcher and composition
// root. The web shell has no updater; the desktop app's port (electron-updater in
// main/electron/updater.ts) is stood in for by a port whose state the test sets.
const apps: App[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

function start(updates?: UpdatePort): App {
  const dataDir = tempDataDir('app-updates');
  // No sign-in happens, so nothing is fetched from this address.
  const app = composeApp({ config: { ...configFor({ dataDir, syncIntervalMs: 3_600_000 }), centralUrl: 'http://127.0.0.1:9/fhir' }, emit: () => {}, log: () => {}, ...(updates ? { updates } : {}) });
  apps.push(app);
  return app;
}

describe('updates through the contract', () => {
  it('the web shell says updates are managed by the desktop app, and restarts nothing', async () => {
    const app = start();
    expect(await app.dispatch({ method: 'app.updateStatus', params: {} })).toEqual({ ok: true, value: { state: 'off', version: null, percent: null, message: UPDATES_UNMANAGED_MESSAGE } });
    expect(await app.dispatch({ method: 'app.restartToUpdate', params: {} })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
  it('restarts only for a downloaded update, once per request, and validates params', async () => {
    let status: UpdateStatus = { state: 'downloading', version: '0.2.0', percent: 40, message: 'Downloading OnScene 0.2.0 in the background.' };
    let restarts = 0;
    const app = start({ status: () => status, restartToUpdate: () => void restarts++ });
    expect(await app.dispatch({ method: 'app.restartToUpdate', params: {} })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(restarts).toBe(0);
    status = { state: 'ready', version: '0.2.0', percent: 100, message: 'OnScene 0.2.0 is ready.' };
    expect(await app.dispatch({ method: 'app.updateStatus', params: {} })).toEqual({ ok: true, value: status });
    expect(await app.dispatch({ method: 'app.restartToUpdate', params: { now: true } })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(restarts).toBe(0);
    expect(await app.dispatch({ method: 'app.restartToUpdate', params: {} })).toEqual({ ok: true, value: {} });
    expect(restarts).toBe(1);
  });
});
