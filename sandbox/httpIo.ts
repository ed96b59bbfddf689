import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { type Fault } from './faults';

const gzipAsync = promisify(gzip);

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
/** Large enough for a transaction of a few thousand resources; beyond it we answer 413. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function outcome(code: OperationOutcomeIssue['code'], text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] };
}

export type Reply = Readonly<{ status: number; body: unknown; headers?: Readonly<Record<string, string>> }>;

function acceptsGzip(req: IncomingMessage): boolean {
  return /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
}

/** Where to cut a body of `length` bytes: the requested byte count, never the whole body. */
function cutPoint(length: number, afterBytes: number | undefined, min: number): number {
  const wanted = afterBytes ?? Math.floor(length / 2);
  return Math.max(Math.min(wanted, length - 1), Math.min(min, length - 1), 0);
}

/**
 * Sends JSON, gzipped when the client accepts it, and applies `drop` / `truncate` faults:
 * drop sends the headers (with the full Content-Length) and part of the body, then destroys
 * the socket; truncate sends a complete HTTP response whose JSON is cut short.
 */
export async function sendReply(req: IncomingMessage, res: ServerResponse, reply: Reply, fault: Fault): Promise<void> {
  let text = Buffer.from(JSON.stringify(reply.body), 'utf8');
  if (fault.mode === 'truncate') text = text.subarray(0, cutPoint(text.length, fault.afterBytes, 1));
  const isGzip = acceptsGzip(req);
  const payload = isGzip ? await gzipAsync(text) : text;
  const headers: Record<string, string> = {
    'content-type': FHIR_JSON,
    'content-length': String(payload.length),
    'cache-control': 'no-store',
    ...(isGzip ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {}),
    ...reply.headers,
  };
  if (res.destroyed) return;
  res.writeHead(reply.status, headers);
  if (fault.mode === 'drop') {
    res.flushHeaders();
    res.write(payload.subarray(0, cutPoint(payload.length, fault.afterBytes, 0)), () => res.socket?.destroy());
    return;
  }
  res.end(payload);
}

/** The request body as FHIR JSON (or a form-encoded search); throws SyntaxError on bad JSON. */
export function parseRequestBody(req: IncomingMessage, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return out;
  }
  return JSON.parse(raw.toString('utf8')) as unknown;
}
