import type { IncomingHttpHeaders } from 'node:http';
import { outcome, type Reply } from './httpIo';

/**
 * Pure predicates that keep web pages away from the sandbox (issue #10 item 4): a page on another
 * local origin must neither plant nor read records. The sandbox serves no pages of its own, so no
 * browser origin is ever legitimate; its clients (the app, tests, the CLI) are not browsers.
 */

/** Sec-Fetch-Site values a browser sends for a request no other site started (Fetch Metadata, W3C). */
const FIRST_PARTY_SITES: ReadonlySet<string> = new Set(['none', 'same-origin']);

/**
 * Why a request is refused as a browser's cross-origin request, or undefined for a non-browser one.
 * Any `Origin` header counts, even `null` or empty: browsers add it to cross-origin and POST requests
 * (RFC 6454 §7; Fetch "append a request Origin header"). `Sec-Fetch-Site` covers the no-cors GETs that
 * carry no Origin (`<img>`, `<script>`). The Host check stops DNS rebinding, where a page's own
 * name is pointed at 127.0.0.1 and the browser thinks the request is same-origin.
 *
 * @example crossOriginProblem({ origin: 'http://127.0.0.1:9999' }, ['127.0.0.1:8090']) // 'an Origin header'
 */
export function crossOriginProblem(headers: IncomingHttpHeaders, allowedHosts: readonly string[]): string | undefined {
  if (headers.origin !== undefined) return 'an Origin header';
  const site = headers['sec-fetch-site'];
  if (site !== undefined && !FIRST_PARTY_SITES.has(site.trim().toLowerCase())) return 'a Sec-Fetch-Site other than none or same-origin';
  const host = headers.host;
  if (host !== undefined && !allowedHosts.includes(host.toLowerCase())) return 'a Host that is not this loopback address';
  return undefined;
}

/** The 403 for a cross-origin request: no CORS headers, so a page can read nothing of it either. */
export function crossOriginReply(problem: string): Reply {
  return { status: 403, body: outcome('forbidden', `Refused: the request has ${problem}. The sandbox serves no web pages and answers no browser requests from other origins.`) };
}

const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * True when a request under /fhir can change the record. `POST [type]/_search` is a search
 * (FHIR R4 http.html#search): a read. Segments are counted as Medplum's router counts them
 * (empty ones dropped), so anything the router would not route to search stays a write.
 *
 * @example isWriteRequest('POST', '/Flag/_search') // false
 */
export function isWriteRequest(method: string, fhirPath: string): boolean {
  const upper = method.toUpperCase();
  if (!WRITE_METHODS.has(upper)) return false;
  const segments = fhirPath.split('/').filter(Boolean);
  return !(upper === 'POST' && segments.length === 2 && segments[1] === '_search');
}

const JSON_TYPES: ReadonlySet<string> = new Set(['application/fhir+json', 'application/json']);
const PATCH_TYPES: ReadonlySet<string> = new Set([...JSON_TYPES, 'application/json-patch+json']);

/**
 * Why a write's Content-Type is refused, or undefined when it is FHIR JSON (or JSON Patch, for
 * PATCH) with at most `charset=utf-8`. A browser can send `text/plain`, form encodings and
 * `multipart/form-data` cross-site without asking first (Fetch "CORS-safelisted request-header"),
 * so those must never be read as FHIR.
 *
 * @example writeMediaTypeProblem('POST', 'text/plain') // 'Content-Type text/plain'
 */
export function writeMediaTypeProblem(method: string, contentType: string | undefined): string | undefined {
  if (contentType === undefined || contentType.trim() === '') return 'no Content-Type';
  const [type = '', ...params] = contentType.split(';').map((part) => part.trim().toLowerCase());
  const allowed = method.toUpperCase() === 'PATCH' ? PATCH_TYPES : JSON_TYPES;
  // Named back only when it is a plain media type: a reply never echoes arbitrary request text.
  const named = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$/.test(type) ? `Content-Type ${type}` : 'an unsupported Content-Type';
  if (!allowed.has(type)) return named;
  // JSON is UTF-8 (RFC 8259 §8.1); any other parameter or charset is a body we would misread.
  const isUtf8 = (param: string): boolean => /^charset\s*=\s*(?:utf-8|"utf-8")$/.test(param);
  return params.every((p) => p === '' || isUtf8(p)) ? undefined : 'a Content-Type parameter other than charset=utf-8';
}

/** The 415 for a write that is not FHIR JSON: nothing of it is read or applied. */
export function mediaTypeReply(method: string, problem: string): Reply {
  const isPatch = method.toUpperCase() === 'PATCH';
  const wanted = isPatch ? 'application/fhir+json, application/json or application/json-patch+json' : 'application/fhir+json or application/json';
  // RFC 5789 §2.2: a 415 to a PATCH says which patch formats are accepted.
  const headers = isPatch ? { 'accept-patch': [...PATCH_TYPES].join(', ') } : undefined;
  return { status: 415, body: outcome('not-supported', `Refused: the write has ${problem}. Send ${wanted} (optionally with charset=utf-8).`), ...(headers ? { headers } : {}) };
}
