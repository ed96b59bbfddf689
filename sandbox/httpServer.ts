import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FhirRequest, type HttpMethod } from '@medplum/fhir-router';
import type { Resource } from '@medplum/fhirtypes';
import { z } from 'zod';
import { type AccessGate } from './accessGate';
import { type Fault, type FaultControl, FaultSpecSchema, OfflineSchema } from './faults';
import { type FhirService } from './fhirService';
import { BodyTooLargeError, outcome, parseRequestBody, readBody, type Reply, sendReply } from './httpIo';
import { type Mutex } from './mutex';
import { crossOriginProblem, crossOriginReply, isWriteRequest, mediaTypeReply, writeMediaTypeProblem } from './requestGuard';

export const FHIR_PATH = '/fhir';

export const ListeningSchema = z.strictObject({ listening: z.literal(false), resumeAfterMs: z.number().int().min(0).max(3_600_000).optional() });

export type HttpDeps = Readonly<{
  service: FhirService;
  mutex: Mutex;
  faults: FaultControl;
  baseUrl: () => string;
  /** Stops listening once this response is sent; resumes after `resumeAfterMs` if given. */
  suspend: (resumeAfterMs: number | undefined) => void;
  /** Aborted on close, so injected delays do not keep the process alive. */
  closing: AbortSignal;
  /** Who may read and write: a FHIR request it answers with a reply (401) is refused with that reply. */
  authorize: AccessGate;
}>;

const NO_FAULT: Fault = { mode: 'none' };
const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function zodReply(error: z.ZodError): Reply {
  const text = error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  return { status: 400, body: outcome('invalid', text) };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req, 64 * 1024);
  return raw.length ? (JSON.parse(raw.toString('utf8')) as unknown) : undefined;
}

/** Test controls under /__: never subject to faults, so a test can always switch them off. */
async function handleControl(deps: HttpDeps, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const send = (reply: Reply): Promise<void> => sendReply(req, res, reply, NO_FAULT);
  const route = `${req.method ?? ''} ${pathname}`;
  if (route === 'GET /__faults') return send({ status: 200, body: deps.faults.state() });
  let body: unknown;
  try {
    body = await readJson(req);
  } catch {
    return send({ status: 400, body: outcome('invalid', 'Request body is not valid JSON') });
  }
  if (route === 'POST /__faults') {
    const parsed = FaultSpecSchema.safeParse(body);
    if (!parsed.success) return send(zodReply(parsed.error));
    deps.faults.set(parsed.data);
    return send({ status: 200, body: deps.faults.state() });
  }
  if (route === 'POST /__offline') {
    const parsed = OfflineSchema.safeParse(body);
    if (!parsed.success) return send(zodReply(parsed.error));
    deps.faults.setOffline(parsed.data.offline);
    return send({ status: 200, body: deps.faults.state() });
  }
  if (route === 'POST /__listening') {
    const parsed = ListeningSchema.safeParse(body);
    if (!parsed.success) return send(zodReply(parsed.error));
    res.once('finish', () => deps.suspend(parsed.data.resumeAfterMs));
    return send({ status: 200, body: { listening: false, resumeAfterMs: parsed.data.resumeAfterMs ?? null } });
  }
  return send({ status: 404, body: outcome('not-found', `No control route ${route}`) });
}

function resourceHeaders(baseUrl: string, status: number, body: Resource): Record<string, string> {
  const meta = body.meta;
  if (!meta?.versionId || body.resourceType === 'Bundle' || body.resourceType === 'OperationOutcome') return {};
  const headers: Record<string, string> = { etag: `W/"${meta.versionId}"` };
  if (meta.lastUpdated) headers['last-modified'] = new Date(meta.lastUpdated).toUTCString();
  if (status === 201) headers.location = `${baseUrl}/${body.resourceType}/${body.id ?? ''}/_history/${meta.versionId}`;
  return headers;
}

type ParsedBody = Readonly<{ isOk: true; body: unknown }> | Readonly<{ isOk: false; reply: Reply }>;

async function readFhirBody(req: IncomingMessage): Promise<ParsedBody> {
  try {
    return { isOk: true, body: parseRequestBody(req, await readBody(req)) };
  } catch (err) {
    if (err instanceof BodyTooLargeError) return { isOk: false, reply: { status: 413, body: outcome('too-costly', 'Request body is too large') } };
    return { isOk: false, reply: { status: 400, body: outcome('invalid', 'Request body is not valid JSON') } };
  }
}

async function handleFhir(deps: HttpDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (deps.faults.isOffline()) {
    req.socket.destroy(); // no signal: the client sees a connection reset, not an HTTP answer
    return;
  }
  // Before faults: an injected fault is counted against requests the server would actually serve.
  // Refused writes are never read: their body is drained unparsed.
  const isWrite = isWriteRequest(req.method ?? 'GET', url.pathname.slice(FHIR_PATH.length));
  const mediaProblem = isWrite ? writeMediaTypeProblem(req.method ?? '', req.headers['content-type']) : undefined;
  const refusal = mediaProblem ? mediaTypeReply(req.method ?? '', mediaProblem) : await deps.authorize(req.headers.authorization, isWrite ? 'write' : 'read');
  if (refusal) {
    req.resume();
    return sendReply(req, res, refusal, NO_FAULT);
  }
  const fault = deps.faults.take(url.pathname);
  if (fault.mode === 'delay') await sleep(fault.delayMs, undefined, { signal: deps.closing });
  if (fault.mode === 'status') {
    req.resume();
    const headers: Record<string, string> = fault.retryAfterS === undefined ? {} : { 'retry-after': String(fault.retryAfterS) };
    const code = fault.status === 429 ? 'throttled' : fault.status === 503 ? 'transient' : 'exception';
    return sendReply(req, res, { status: fault.status, body: outcome(code, `Injected fault: HTTP ${fault.status}`), headers }, NO_FAULT);
  }
  const method = (req.method ?? 'GET') as HttpMethod;
  if (!METHODS.includes(method)) {
    return sendReply(req, res, { status: 405, body: outcome('not-supported', `Method ${method} is not supported`) }, NO_FAULT);
  }
  const parsed = await readFhirBody(req);
  if (!parsed.isOk) return sendReply(req, res, parsed.reply, NO_FAULT);
  const fhirReq: FhirRequest = {
    method,
    url: url.pathname.slice(FHIR_PATH.length) + url.search,
    pathname: '',
    params: {},
    query: {},
    headers: req.headers,
    body: parsed.body,
  };
  const result = await deps.mutex.run(() => deps.service.handle(fhirReq));
  const headers = resourceHeaders(deps.baseUrl(), result.status, result.body);
  return sendReply(req, res, { status: result.status, body: result.body, headers }, fault);
}

/** The names a non-browser client may use for the sandbox (Host header): its loopback address and port. */
function loopbackHosts(baseUrl: string): string[] {
  const { port } = new URL(baseUrl);
  return port ? [`127.0.0.1:${port}`, `localhost:${port}`] : ['127.0.0.1', 'localhost', '127.0.0.1:80', 'localhost:80'];
}

async function route(deps: HttpDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Every route, the test controls included: a web page may neither read nor change anything here.
  const crossOrigin = crossOriginProblem(req.headers, loopbackHosts(deps.baseUrl()));
  if (crossOrigin) {
    req.resume();
    return sendReply(req, res, crossOriginReply(crossOrigin), NO_FAULT);
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname.startsWith('/__')) return handleControl(deps, req, res, url.pathname);
  if (url.pathname === FHIR_PATH || url.pathname.startsWith(`${FHIR_PATH}/`)) return handleFhir(deps, req, res, url);
  return sendReply(req, res, { status: 404, body: outcome('not-found', 'The FHIR base is /fhir') }, NO_FAULT);
}

/** The sandbox's node:http listener: FHIR under /fhir, test controls under /__. */
export function createRequestListener(deps: HttpDeps): RequestListener {
  return (req, res) => {
    const work = route(deps, req, res);
    work.catch(() => {
      // Never crash the server on one request; never echo request content either.
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/fhir+json' });
        res.end(JSON.stringify(outcome('exception', 'Internal error')));
      } else res.destroy();
    });
  };
}
