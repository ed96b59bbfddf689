import { describe, expect, it } from 'vitest';
import { type CallEnvelope, type Result } from '../../contract';
import {
  createContractClient,
  createWebTransport,
  LAUNCH_TOKEN_KEY,
  readLaunchToken,
  toResult,
  type Transport,
  type WebTransportDeps,
} from './client';

const user = { userId: 'u1', displayName: 'Sam Patel', role: 'paramedic', vehicle: 'K101' } as const;

function fakeTransport(answer: (envelope: CallEnvelope) => Result<unknown>): Transport & { sent: CallEnvelope[] } {
  const sent: CallEnvelope[] = [];
  return {
    sent,
    send: async (envelope) => {
      sent.push(envelope);
      return answer(envelope);
    },
    subscribe: () => () => undefined,
  };
}

describe('contract client', () => {
  it('keeps the session token from signIn and sends it with later calls', async () => {
    const transport = fakeTransport((e) =>
      e.method === 'session.signIn'
        ? { ok: true, value: { sessionToken: 'sess-1', user } }
        : { ok: true, value: { user } },
    );
    const client = createContractClient(transport);
    expect((await client.call('session.signIn', { userId: 'u1', pin: '1111' })).ok).toBe(true);
    await client.call('session.current', {});
    expect(transport.sent[0]?.sessionToken).toBeUndefined();
    expect(transport.sent[1]?.sessionToken).toBe('sess-1');
    expect(client.hasSession()).toBe(true);
  });

  it('drops the session and tells the UI on an unauthenticated error', async () => {
    const transport = fakeTransport((e) => {
      if (e.method === 'session.signIn') return { ok: true, value: { sessionToken: 'sess-1', user } };
      return { ok: false, error: { code: 'unauthenticated', message: 'Sign in again.' } };
    });
    const client = createContractClient(transport);
    await client.call('session.signIn', { userId: 'u1', pin: '1111' });
    let lost = 0;
    client.onSessionLost(() => (lost += 1));
    const result = await client.call('incidents.list', {});
    expect(result).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'Sign in again.' } });
    expect(lost).toBe(1);
    expect(client.hasSession()).toBe(false);
  });

  it('rejects an answer that does not match the method result schema', async () => {
    const client = createContractClient(fakeTransport(() => ({ ok: true, value: { users: 'nope' } })));
    const result = await client.call('session.users', {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('internal');
  });

  it('maps a transport that throws to offline', async () => {
    const client = createContractClient({
      send: () => Promise.reject(new Error('gone')),
      subscribe: () => () => undefined,
    });
    const result = await client.call('session.users', {});
    expect(result.ok ? undefined : result.error.code).toBe('offline');
  });

  it('validates event payloads and ignores unknown events', () => {
    let emit: (name: string, payload: unknown) => void = () => undefined;
    const client = createContractClient({
      send: async () => ({ ok: true, value: {} }),
      subscribe: (cb) => {
        emit = cb;
        return () => undefined;
      },
    });
    const seen: string[] = [];
    client.onEvent((event) => seen.push(event.name));
    emit('incidents.changed', {});
    emit('made.up', {});
    emit('sync.changed', { state: 'nonsense' });
    expect(seen).toEqual(['incidents.changed']);
  });
});

describe('toResult', () => {
  it('accepts both envelope shapes and refuses anything else', () => {
    expect(toResult({ ok: true, value: 1 })).toEqual({ ok: true, value: 1 });
    expect(toResult({ ok: false, error: { code: 'wrong-pin', message: 'Wrong PIN' } })).toEqual({
      ok: false,
      error: { code: 'wrong-pin', message: 'Wrong PIN' },
    });
    expect(toResult({ ok: false, error: { code: 'weird', message: 'x' } })).toEqual({
      ok: false,
      error: { code: 'internal', message: 'x' },
    });
    expect(toResult('<html>').ok).toBe(false);
  });
});

describe('web transport', () => {
  const deps = (fetchImpl: WebTransportDeps['fetch'], launchToken: string | null = 'launch-1'): WebTransportDeps => ({
    launchToken: launchToken ?? undefined,
    fetch: fetchImpl,
    openEvents: () => ({ addEventListener: () => undefined, close: () => undefined }),
  });

  it('posts the envelope with the launch token as a bearer token', async () => {
    const requests: { input: string; init: RequestInit }[] = [];
    const transport = createWebTransport(
      deps(async (input, init) => {
        requests.push({ input, init });
        return new Response(JSON.stringify({ ok: true, value: { users: [] } }), { status: 200 });
      }),
    );
    const result = await transport.send({ method: 'session.users', params: {} });
    expect(result).toEqual({ ok: true, value: { users: [] } });
    expect(requests[0]?.input).toBe('/api/call');
    expect(requests[0]?.init.method).toBe('POST');
    expect(new Headers(requests[0]?.init.headers).get('Authorization')).toBe('Bearer launch-1');
    expect(JSON.parse(String(requests[0]?.init.body))).toEqual({ method: 'session.users', params: {} });
  });

  it('reads the Result body of a 4xx answer', async () => {
    const transport = createWebTransport(
      deps(async () => new Response(JSON.stringify({ ok: false, error: { code: 'wrong-pin', message: 'That PIN is wrong.' } }), { status: 401 })),
    );
    expect(await transport.send({ method: 'session.signIn', params: {} })).toEqual({
      ok: false,
      error: { code: 'wrong-pin', message: 'That PIN is wrong.' },
    });
  });

  it('maps a network failure to offline with a plain message', async () => {
    const transport = createWebTransport(deps(() => Promise.reject(new TypeError('Failed to fetch'))));
    const result = await transport.send({ method: 'session.users', params: {} });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('offline');
      expect(result.error.message).not.toMatch(/fetch/i);
    }
  });

  it('maps a non-JSON error page to server-error', async () => {
    const transport = createWebTransport(deps(async () => new Response('<h1>Bad gateway</h1>', { status: 502 })));
    const result = await transport.send({ method: 'session.users', params: {} });
    expect(result.ok ? undefined : result.error.code).toBe('server-error');
  });

  it('refuses to call without a launch token', async () => {
    let called = false;
    const transport = createWebTransport(
      deps(async () => {
        called = true;
        return new Response('{}');
      }, null),
    );
    const result = await transport.send({ method: 'session.users', params: {} });
    expect(result.ok ? undefined : result.error.code).toBe('forbidden');
    expect(called).toBe(false);
  });
});

describe('readLaunchToken', () => {
  function fakeWindow(hash: string) {
    const store = new Map<string, string>();
    const replaced: (string | undefined)[] = [];
    return {
      store,
      replaced,
      deps: {
        location: { hash, pathname: '/', search: '' },
        history: { replaceState: (_d: unknown, _u: string, url?: string) => void replaced.push(url) },
        storage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) },
      },
    };
  }

  it('takes the token from the fragment, stores it and cleans the address bar', () => {
    const w = fakeWindow('#launch=abc123');
    expect(readLaunchToken(w.deps)).toBe('abc123');
    expect(w.store.get(LAUNCH_TOKEN_KEY)).toBe('abc123');
    expect(w.replaced).toEqual(['/']);
  });

  it('falls back to the stored token after a reload', () => {
    const w = fakeWindow('');
    w.store.set(LAUNCH_TOKEN_KEY, 'kept');
    expect(readLaunchToken(w.deps)).toBe('kept');
    expect(w.replaced).toEqual([]);
  });
});
