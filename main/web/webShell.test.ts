import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_DIR } from '../app';
import type { TestCore } from '../services/testCalls';
import { startCore, tempDataDir } from '../services/testCalls';
import { type WebShell, startWebShell } from './webServer';

// The web shell's trust boundary over real HTTP on 127.0.0.1 (issue #4): wrong launch token,
// foreign Origin, wrong Host (DNS rebinding), non-loopback bind, oversize bodies, path traversal.
let core: TestCore;
let shell: WebShell;

beforeAll(async () => {
  core = await startCore(tempDataDir('web'));
  shell = await startWebShell({ dispatch: core.dispatch, rendererDir: RENDERER_DIR, port: 0 });
});
afterAll(async () => {
  await shell?.close();
  await core?.close();
});

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** Raw HTTP so the test controls Host and Origin exactly (fetch would not let it set Host). */
function request(options: { method?: string; path?: string; headers?: Record<string, string>; body?: string; host?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: options.host ?? '127.0.0.1', port: shell.port, method: options.method ?? 'POST', path: options.path ?? '/api/call', headers: options.headers ?? {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const own = () => ({ host: `127.0.0.1:${shell.port}`, origin: `http://127.0.0.1:${shell.port}`, authorization: `Bearer ${shell.launchToken}`, 'content-type': 'application/json' });
const usersCall = JSON.stringify({ method: 'session.users', params: {} });

describe('web shell boundary', () => {
  it('answers its own page', async () => {
    const reply = await request({ headers: own(), body: usersCall });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true });
  });

  it.each([
    ['no token', { authorization: '' }],
    ['a wrong token', { authorization: 'Bearer wrong-token' }],
    ['a token of the right length but wrong', { authorization: `Bearer ${'A'.repeat(43)}` }],
    ['Basic auth', { authorization: 'Basic dXNlcjpwYXNz' }],
  ])('refuses %s with 401', async (_label, override) => {
    const reply = await request({ headers: { ...own(), ...override }, body: usersCall });
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it.each(['http://evil.example', `http://localhost:${0}`, 'null', `https://127.0.0.1:1`, ''])('refuses the foreign Origin "%s" with 403', async (origin) => {
    const headers: Record<string, string> = { ...own(), origin };
    if (!origin) delete headers.origin;
    expect((await request({ headers, body: usersCall })).status).toBe(403);
  });

  it.each(['evil.example', 'localhost', '127.0.0.1', '127.0.0.1:1', '[::1]'])('refuses the Host "%s" (DNS rebinding) with 403, pages too', async (hostName) => {
    const host = hostName.includes(':') || hostName.startsWith('[') ? hostName : hostName === '127.0.0.1' ? hostName : `${hostName}:${shell.port}`;
    expect((await request({ headers: { ...own(), host }, body: usersCall })).status).toBe(403);
    expect((await request({ method: 'GET', path: '/', headers: { host } })).status).toBe(403);
  });

  it('refuses the event stream without the launch token', async () => {
    expect((await request({ method: 'GET', path: '/api/events?launch=wrong', headers: { host: own().host } })).status).toBe(401);
  });

  it('refuses oversize bodies and bad JSON with typed errors', async () => {
    expect((await request({ headers: own(), body: 'x'.repeat(70 * 1024) })).status).toBe(413);
    const bad = await request({ headers: own(), body: '{"method":' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('serves no file outside the renderer folder, and every answer carries the CSP', async () => {
    for (const path of ['/../keys.json', '/%2e%2e/%2e%2e/package.json', '/..%2f..%2fpackage.json']) {
      const reply = await request({ method: 'GET', path, headers: { host: own().host } });
      expect(reply.status).toBe(404);
    }
    const page = await request({ method: 'GET', path: '/', headers: { host: own().host } });
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  });

  it('binds loopback only: refuses other bind addresses, and is not reachable on another loopback address', async () => {
    for (const host of ['0.0.0.0', '::', 'localhost', '127.0.0.2']) {
      await expect(startWebShell({ dispatch: core.dispatch, rendererDir: RENDERER_DIR, port: 0, host })).rejects.toThrow(/127\.0\.0\.1/);
    }
    expect(new URL(shell.url).hostname).toBe('127.0.0.1');
    // 127.0.0.2 is loopback too, but the shell listens on 127.0.0.1 only.
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.2', port: shell.port });
      socket.on('connect', () => (socket.destroy(), resolve(false)));
      socket.on('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  it('answers a malformed percent-escape with 400 and keeps serving (issue #10: "/%" ended the process)', async () => {
    for (const path of ['/%', '/%E0%A4%A', '/assets/%zz.js']) {
      expect((await request({ method: 'GET', path, headers: { host: own().host } })).status).toBe(400);
    }
    expect((await request({ headers: own(), body: usersCall })).status).toBe(200);
  });

  it('hands the identity provider’s redirect to the app and the page only a one-use ticket, in the fragment', async () => {
    const withIdentity = await startWebShell({ dispatch: core.dispatch, rendererDir: RENDERER_DIR, port: 0, onOidcCallback: (url) => core.app.completeOnlineRedirect(url) });
    try {
      const reply = await new Promise<Reply>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: withIdentity.port, path: '/oidc/callback?code=forged&state=not-started-here', headers: { host: `127.0.0.1:${withIdentity.port}` } }, (res) => {
            res.resume();
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
          })
          .on('error', reject);
      });
      expect(reply.status).toBe(303);
      const ticket = /^\/#signin=([A-Za-z0-9_-]+)$/.exec(String(reply.headers.location))?.[1];
      expect(ticket).toBeTruthy();
      // The forged callback's ticket carries only the reason it failed.
      const answer = await core.dispatch({ method: 'session.onlineTicket', params: { ticket } });
      expect(answer).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/Start online sign-in again/) } });
    } finally {
      await withIdentity.close();
    }
    // A shell without an identity provider says so by code, never by echoing anything.
    const plain = await request({ method: 'GET', path: '/oidc/callback?code=x&state=y', headers: { host: own().host } });
    expect(plain).toMatchObject({ status: 303, headers: { location: '/#signinError=not-configured' } });
  });

  it('refuses the event stream to a foreign Origin, like every other route (issue #10)', async () => {
    const path = `/api/events?launch=${encodeURIComponent(shell.launchToken)}`;
    const foreign = await request({ method: 'GET', path, headers: { host: own().host, origin: 'http://127.0.0.1:9999' } });
    expect(foreign.status).toBe(403);
  });

  it('cuts off a client that never finishes its headers (slowloris), within the header timeout', async () => {
    const started = Date.now();
    const closed = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port: shell.port }, () => socket.write(`GET / HTTP/1.1\r\nHost: ${own().host}\r\nX-Slow: a`));
      socket.resume(); // read the answer, so the server's close is seen
      socket.on('close', () => resolve(true));
      socket.on('error', () => resolve(true));
      setTimeout(() => {
        socket.destroy();
        resolve(false);
      }, 25_000);
    });
    expect(closed).toBe(true);
    expect(Date.now() - started).toBeLessThan(25_000);
  }, 30_000);
});
