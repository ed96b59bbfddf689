import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_DIR } from '../app';
import { type TestCore, startCore, tempDataDir } from '../services/testCalls';
import { type WebShell, startWebShell } from './webServer';

// Issue #10: no request may crash the process. Arbitrary request lines, paths, methods, headers and
// bodies go to the real web shell over raw sockets (a browser or http client would clean them up);
// after every one the shell must still answer its own page.
let core: TestCore;
let shell: WebShell;
const logLines: string[] = [];

beforeAll(async () => {
  core = await startCore(tempDataDir('http-fuzz'));
  shell = await startWebShell({ dispatch: core.dispatch, rendererDir: RENDERER_DIR, port: 0, onOidcCallback: (url) => core.app.completeOnlineRedirect(url), log: (line) => logLines.push(line) });
});
afterAll(async () => {
  await shell?.close();
  await core?.close();
});

/** Sends raw bytes, returns the status line (or '' when the shell closed without one). Bounded by a timeout. */
function raw(bytes: Buffer | string, timeoutMs = 3_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: shell.port });
    let answer = '';
    const done = () => {
      socket.destroy();
      resolve(answer.split('\r\n')[0] ?? '');
    };
    socket.setTimeout(timeoutMs, done);
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.end(bytes);
  });
}

async function stillServing(): Promise<boolean> {
  const body = JSON.stringify({ method: 'session.users', params: {} });
  const host = `127.0.0.1:${shell.port}`;
  const line = await raw(`POST /api/call HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\r\nAuthorization: Bearer ${shell.launchToken}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  return line.startsWith('HTTP/1.1 200');
}

const pathSegment = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('%', '%E0%A4%A', '%zz', '%00', '..', '%2e%2e', '//', 'api', 'oidc', 'callback', '\u00e9', '\ud83d\ude91', '*', 'http://[', '?code=x&state=y'),
);
const requestPath = fc.array(pathSegment, { maxLength: 6 }).map((parts) => `/${parts.join('/')}`);
const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH', 'HEAD', 'FOO', 'G\u0000T', '');
const header = fc.tuple(fc.constantFrom('Host', 'Origin', 'Authorization', 'Content-Type', 'Content-Length', 'Transfer-Encoding', 'X-Junk', 'Cookie'), fc.string({ maxLength: 60 }));
const body = fc.oneof(fc.constant(''), fc.string({ maxLength: 300 }), fc.constant('{"method":"session.users","params":{}}'), fc.constant('{"method":"record.open","params":{"patientId":"%","incidentId":"\u0000"}}'));

describe('the web shell under arbitrary HTTP', () => {
  it('answers every request or closes it, and keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(method, requestPath, fc.array(header, { maxLength: 6 }), body, fc.boolean(), async (verb, target, headers, payload, withOwnHost) => {
        const host = withOwnHost ? [`Host: 127.0.0.1:${shell.port}`] : [];
        const lines = [`${verb} ${target} HTTP/1.1`, ...host, ...headers.map(([name, value]) => `${name}: ${value}`), 'Connection: close', '', payload];
        const status = await raw(Buffer.from(lines.join('\r\n'), 'utf8'));
        expect(status === '' || /^HTTP\/1\.1 [1-5]\d\d/.test(status)).toBe(true);
        expect(await stillServing()).toBe(true);
      }),
      { numRuns: 150, seed: 20261203 },
    );
  }, 180_000);

  it('survives raw garbage and truncated requests', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        await raw(Buffer.from(bytes), 1_000);
        expect(await stillServing()).toBe(true);
      }),
      { numRuns: 60, seed: 3 },
    );
    for (const attack of ['GET /% HTTP/1.1\r\nHost: 127.0.0.1:' + shell.port + '\r\n\r\n', 'GET http://[/ HTTP/1.1\r\nHost: 127.0.0.1:' + shell.port + '\r\n\r\n', 'POST /api/call HTTP/1.1\r\nContent-Length: 99999\r\n\r\n{']) {
      await raw(attack, 1_000);
      expect(await stillServing()).toBe(true);
    }
    // What the guard logged names kinds only: no request text.
    expect(logLines.join('\n')).not.toMatch(/%|\[|code=/);
  }, 120_000);
});
