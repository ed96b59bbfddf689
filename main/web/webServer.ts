import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { EventName, EventPayload } from '../../contract/methods';
import { AppError } from '../../core/errors';
import type { Dispatch } from '../dispatch';
import { CONTENT_SECURITY_POLICY, bearerOf, isLaunchToken, isLoopbackHost, isOwnHost, isOwnOrigin } from './webGuards';

export type WebShell = Readonly<{
  url: string;
  port: number;
  launchToken: string;
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  close(): Promise<void>;
}>;

export type WebShellOptions = Readonly<{
  dispatch: Dispatch;
  rendererDir: string;
  port: number;
  host?: string;
  /** The identity provider's redirect (RFC 8252 loopback): resolves to a sign-in ticket for the page. */
  onOidcCallback?: (callbackUrl: URL) => Promise<string>;
}>;

const MAX_BODY_BYTES = 64 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const refuse = (res: http.ServerResponse, status: number, message: string) =>
  sendJson(res, status, { ok: false, error: { code: 'forbidden', message } });

function serveStatic(rendererDir: string, pathname: string, res: http.ServerResponse) {
  let relative: string;
  try {
    relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  } catch {
    // A malformed escape ("/%") is a bad request, never an uncaught URIError that ends the process (issue #10).
    res.writeHead(400, SECURITY_HEADERS).end('Bad request');
    return;
  }
  const file = path.resolve(rendererDir, relative);
  if (!file.startsWith(path.resolve(rendererDir) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404, SECURITY_HEADERS).end('Not found');
    return;
  }
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
}

async function readBody(req: http.IncomingMessage): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The web shell: the contract over HTTP on 127.0.0.1, guarded by a per-launch token and origin checks. */
export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new Error('The web shell only listens on 127.0.0.1.');
  const launchToken = randomBytes(32).toString('base64url');
  const listeners = new Set<http.ServerResponse>();
  let port = 0;

  async function handleCall(req: http.IncomingMessage, res: http.ServerResponse) {
    if (!isOwnOrigin(req.headers.origin, port)) return refuse(res, 403, 'Requests must come from the OnScene page.');
    if (!isLaunchToken(bearerOf(req.headers.authorization), launchToken)) return refuse(res, 401, 'This page is from an earlier launch. Open the address OnScene printed.');
    const text = await readBody(req);
    if (text === null) return sendJson(res, 413, { ok: false, error: { code: 'bad-request', message: 'The request was too large.' } });
    let envelope: unknown;
    try {
      envelope = JSON.parse(text);
    } catch {
      return sendJson(res, 400, { ok: false, error: { code: 'bad-request', message: 'The request was not valid JSON.' } });
    }
    sendJson(res, 200, await options.dispatch(envelope));
  }

  /**
   * The browser comes back from the identity provider. The page learns only a one-use ticket (or an
   * error code it has its own words for), in the fragment, so it never reaches a server log.
   */
  async function handleOidcCallback(url: URL, res: http.ServerResponse) {
    let fragment: string;
    try {
      if (!options.onOidcCallback) throw new AppError('not-configured', 'no identity provider');
      fragment = `signin=${encodeURIComponent(await options.onOidcCallback(url))}`;
    } catch (error) {
      fragment = `signinError=${error instanceof AppError ? error.code : 'internal'}`;
    }
    res.writeHead(303, { ...SECURITY_HEADERS, location: `/#${fragment}` }).end();
  }

  function handleEvents(url: URL, res: http.ServerResponse) {
    if (!isLaunchToken(url.searchParams.get('launch'), launchToken)) return refuse(res, 401, 'Unknown launch token.');
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', connection: 'keep-alive' });
    res.write(': connected\n\n');
    listeners.add(res);
    res.on('close', () => listeners.delete(res));
  }

  const server = http.createServer((req, res) => {
    if (!isOwnHost(req.headers.host, port)) return refuse(res, 403, 'Unexpected Host.');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (req.method === 'POST' && url.pathname === '/api/call') {
      handleCall(req, res).catch(() => sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'The request failed inside OnScene.' } }));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/events') return handleEvents(url, res);
    if (req.method === 'GET' && url.pathname === '/oidc/callback') {
      handleOidcCallback(url, res).catch(() => res.writeHead(500, SECURITY_HEADERS).end());
      return;
    }
    if (req.method === 'GET' && !url.pathname.startsWith('/api/')) return serveStatic(options.rendererDir, url.pathname, res);
    refuse(res, 405, 'Not allowed.');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/#launch=${launchToken}`,
    port,
    launchToken,
    emit(name, payload) {
      const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const res of listeners) res.write(frame);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of listeners) res.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
