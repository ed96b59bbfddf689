import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { electronPreloadOptions } from './esbuildOptions.mjs';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../main/electron/channels';

// The preload exactly as the build bundles it, run in a VM context with stand-ins for Electron's
// contextBridge and ipcRenderer (Electron cannot run here): what the page gets is the contract's
// two channels and nothing else.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
type Listener = (event: unknown, ...args: unknown[]) => void;
type Bridge = { call(envelope: unknown): Promise<unknown>; onEvent(cb: (name: string, payload: unknown) => void): () => void };

let exposed: Record<string, unknown> = {};
const invoked: [string, unknown][] = [];
const listeners = new Map<string, Set<Listener>>();

beforeAll(async () => {
  const outfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-preload-')), 'preload.cjs');
  await build({ ...electronPreloadOptions(root, outfile), absWorkingDir: root, sourcemap: false });
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
    ipcRenderer: {
      invoke: async (channel: string, arg: unknown) => (invoked.push([channel, arg]), { ok: true, value: {} }),
      on: (channel: string, l: Listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l)),
      removeListener: (channel: string, l: Listener) => listeners.get(channel)?.delete(l),
    },
  };
  const required: string[] = [];
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  const module = { exports: {} };
  vm.runInNewContext(fs.readFileSync(outfile, 'utf8'), { require: sandboxRequire, module, exports: module.exports });
  expect(required).toEqual(['electron']);
});

describe('the preload exposes only the contract’s channels', () => {
  it('puts one object on the page, with call and onEvent only', () => {
    expect(Object.keys(exposed)).toEqual(['onscene']);
    expect(Object.keys(exposed.onscene as object).sort()).toEqual(['call', 'onEvent']);
  });
  it('calls go on the call channel only', async () => {
    const bridge = exposed.onscene as Bridge;
    await bridge.call({ method: 'session.users', params: {} });
    expect(invoked).toEqual([[CALL_CHANNEL, { method: 'session.users', params: {} }]]);
  });
  it('events come from the event channel only, without the IPC event object, and unsubscribe', () => {
    const bridge = exposed.onscene as Bridge;
    const seen: unknown[][] = [];
    const off = bridge.onEvent((...args) => seen.push(args));
    expect([...listeners.keys()]).toEqual([EVENT_CHANNEL]);
    const [listener] = [...listeners.get(EVENT_CHANNEL)!];
    const ipcEvent = { sender: { send: () => {} }, ports: [] };
    listener!(ipcEvent, 'sync.changed', { state: 'idle' });
    listener!(ipcEvent, { toString: () => 'x' }, 'not a name'); // only string names pass
    expect(seen).toEqual([['sync.changed', { state: 'idle' }]]);
    off();
    expect(listeners.get(EVENT_CHANNEL)?.size).toBe(0);
  });
});
