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
  /** Operational log lines (never PHI): what the top-level guard caught. */
  log?: (line: string) => void;
}>;

/** Slow or stalled clients are cut off: a request has this long to arrive whole (issue #10). */
export const WEB_SHELL_TIMEOUTS = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000 } as const;

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
  // A file that vanishes between the check and the read ends this answer, never the process.
  fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
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

  function handleEvents(req: http.IncomingMessage, url: URL, res: http.ServerResponse) {
    // EventSource sends no Origin same-origin; one that is sent must be ours, as on every other route.
    if (req.headers.origin !== undefined && !isOwnOrigin(req.headers.origin, port)) return refuse(res, 403, 'Requests must come from the OnScene page.');
    if (!isLaunchToken(url.searchParams.get('launch'), launchToken)) return refuse(res, 401, 'Unknown launch token.');
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', connection: 'keep-alive' });
    res.write(': connected\n\n');
    listeners.add(res);
    res.on('close', () => listeners.delete(res));
  }

  const log = options.log ?? ((line: string) => console.error(`[onscene] ${line}`));
  /** The top-level guard: whatever a request does, it ends with an answer (or a closed socket), not a dead process. */
  function guard(res: http.ServerResponse, error: unknown) {
    log(`web shell request failed (${error instanceof Error ? error.name : typeof error})`);
    if (res.headersSent) res.destroy();
    else sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'The request failed inside OnScene.' } });
  }

  function route(req: http.IncomingMessage, res: http.ServerResponse) {
    if (!isOwnHost(req.headers.host, port)) return refuse(res, 403, 'Unexpected Host.');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (req.method === 'POST' && url.pathname === '/api/call') {
      handleCall(req, res).catch((error: unknown) => guard(res, error));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/events') return handleEvents(req, url, res);
    if (req.method === 'GET' && url.pathname === '/oidc/callback') {
      handleOidcCallback(url, res).catch((error: unknown) => guard(res, error));
      return;
    }
    if (req.method === 'GET' && !url.pathname.startsWith('/api/')) return serveStatic(options.rendererDir, url.pathname, res);
    refuse(res, 405, 'Not allowed.');
  }

  // Timeouts are checked every 2 s (Node's default is 30 s, which would let a stalled client sit for 40 s).
  const server = http.createServer({ connectionsCheckingInterval: 2_000, headersTimeout: WEB_SHELL_TIMEOUTS.headersTimeoutMs, requestTimeout: WEB_SHELL_TIMEOUTS.requestTimeoutMs }, (req, res) => {
    try {
      route(req, res);
    } catch (error) {
      guard(res, error);
    }
  });
  server.keepAliveTimeout = WEB_SHELL_TIMEOUTS.keepAliveTimeoutMs;
  // A malformed request line or header: 400 and close, the default answer, made explicit.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
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
