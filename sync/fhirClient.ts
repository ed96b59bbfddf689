import { z } from 'zod';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, parseRetryAfterMs, retryWaitMs } from './retry';

/** Why a call to the central record failed, in the terms the UI explains (LESSONS: no bare "unable to sync"). */
export type FhirFailureReason = 'offline' | 'auth' | 'server-error' | 'bad-data';

const REASON_MESSAGES: Record<FhirFailureReason, string> = {
  offline: 'The central record cannot be reached (no signal or the server is down). Cached data is still available.',
  auth: 'The central record refused our credentials. Sign in online again.',
  'server-error': 'The central record reported an error. OnScene will retry.',
  'bad-data': 'The central record sent data OnScene could not read. It has been set aside; the rest continues.',
};

export class FhirClientError extends Error {
  constructor(
    readonly reason: FhirFailureReason,
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(REASON_MESSAGES[reason], options);
    this.name = 'FhirClientError';
  }
}

/** The minimum we trust of any resource from the central record; per-type rules live in resourceSchemas.ts. */
export const fhirResourceSchema = z
  .object({
    resourceType: z.string().regex(/^[A-Z][A-Za-z]{1,63}$/),
    id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
    meta: z.object({ versionId: z.string().optional(), lastUpdated: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();
export type FhirResource = z.infer<typeof fhirResourceSchema>;

const entrySchema = z.object({
  fullUrl: z.string().optional(),
  resource: z.unknown().optional(),
  search: z.object({ mode: z.string().optional() }).optional(),
  request: z.object({ method: z.string(), url: z.string() }).optional(),
  response: z.object({ status: z.string(), etag: z.string().optional(), lastModified: z.string().optional() }).passthrough().optional(),
});
export type BundleEntryIn = z.infer<typeof entrySchema>;

const bundleSchema = z.object({
  resourceType: z.literal('Bundle'),
  total: z.number().int().nonnegative().optional(),
  link: z.array(z.object({ relation: z.string(), url: z.string() })).optional(),
  entry: z.array(entrySchema).optional(),
});

/** One page of a search or history Bundle; entries are validated by the caller, one by one. */
export type BundlePage = Readonly<{
  entries: BundleEntryIn[];
  total: number | null;
  nextUrl: string | null;
  /** The server's clock at the time of the answer (HTTP Date), for history cursors and skew. */
  serverTime: string;
}>;

export type TransactionOutcome =
  | Readonly<{ isOk: true; entries: BundleEntryIn[]; serverTime: string }>
  /** A refused transaction: nothing applied. `failedIndex` when the server names the entry. */
  | Readonly<{ isOk: false; status: number; failedIndex: number | null; serverTime: string }>;

export type ClientStats = { requests: number; retries: number; bytesIn: number; bytesOut: number };

export type FhirClientOptions = Readonly<{
  baseUrl: string;
  /** OAuth2 bearer token, read on every request so a renewed token applies at once. */
  bearerToken?: string | (() => string | null);
  timeoutMs?: number;
  probeTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}>;

export type FhirClient = Readonly<{
  baseUrl: string;
  /** Is the server reachable? One quick GET of the CapabilityStatement, no retries; returns server time ('' if unknown). */
  probe(): Promise<string>;
  /** One page of a search or history; `pathAndQuery` relative to the base, or a server-given next URL. */
  page(pathAndQuery: string): Promise<BundlePage>;
  /** The current version of one resource, or with `versionId` that version (vread); null when it is gone (404/410). */
  read(resourceType: string, id: string, versionId?: string): Promise<unknown>;
  transaction(bundle: Record<string, unknown>): Promise<TransactionOutcome>;
  stats(): Readonly<ClientStats>;
}>;

type Raw = Readonly<{ status: number; text: string; serverTime: string }>;
const isRetryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/** Which entry a refused transaction names (`Bundle.entry[3]`), when the server says. */
function failedEntryIndex(text: string): number | null {
  const match = /Bundle\.entry\[(\d+)\]/.exec(text);
  return match ? Number(match[1]) : null;
}

/** A FHIR R4 REST client over global fetch: typed failures, retries with backoff, Retry-After, byte counts. */
export function createFhirClient(options: FhirClientOptions): FhirClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const stats: ClientStats = { requests: 0, retries: 0, bytesIn: 0, bytesOut: 0 };
  const token = () => (typeof options.bearerToken === 'function' ? options.bearerToken() : (options.bearerToken ?? null));

  /** One attempt. Throws FhirClientError for transport failures; returns any HTTP answer. */
  async function attempt(url: string, init: RequestInit, limitMs: number): Promise<Raw> {
    const bearer = token();
    const headers: Record<string, string> = {
      accept: 'application/fhir+json',
      'accept-encoding': 'gzip',
      ...(init.headers as Record<string, string> | undefined),
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    };
    if (init.body) headers['content-type'] = 'application/fhir+json';
    stats.requests++;
    stats.bytesOut += typeof init.body === 'string' ? Buffer.byteLength(init.body) : 0;
    let response: Response;
    try {
      response = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(limitMs) });
    } catch (error) {
      throw new FhirClientError('offline', null, { cause: error });
    }
    const dateHeader = response.headers.get('date');
    const serverTime = dateHeader ? new Date(dateHeader).toISOString() : '';
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // A body cut off mid-way is a dropped connection, not a server bug.
      throw new FhirClientError('offline', response.status, { cause: error });
    }
    // Bytes on the wire: gzip is decoded by fetch, so prefer the declared (compressed) length.
    stats.bytesIn += Number(response.headers.get('content-length') ?? '') || Buffer.byteLength(text);
    if (response.status === 401 || response.status === 403) throw new FhirClientError('auth', response.status);
    if (isRetryableStatus(response.status)) {
      const waitMs = parseRetryAfterMs(response.headers.get('retry-after'), Date.now());
      throw Object.assign(new FhirClientError('server-error', response.status), { waitMs, serverTime });
    }
    return { status: response.status, text, serverTime };
  }

  /** Attempts with backoff; `parse` failing (truncated JSON) counts as a retryable attempt too. */
  async function send<T>(url: string, init: RequestInit, parse: (raw: Raw) => T): Promise<T> {
    let last: unknown;
    for (let n = 1; n <= policy.maxAttempts; n++) {
      try {
        return parse(await attempt(url, init, timeoutMs));
      } catch (error) {
        last = error;
        if (error instanceof FhirClientError && (error.reason === 'auth' || error.reason === 'bad-data')) throw error;
        if (n === policy.maxAttempts) break;
        const retryAfter = (error as { waitMs?: number | null }).waitMs ?? null;
        if (retryAfter !== null && retryAfter > policy.maxRetryAfterMs) break;
        stats.retries++;
        await policy.sleep(retryWaitMs(policy, n, retryAfter));
      }
    }
    if (last instanceof FhirClientError) throw last;
    throw new FhirClientError('server-error', null, { cause: last });
  }

  const resolve = (pathAndQuery: string): string => {
    if (/^https?:\/\//.test(pathAndQuery)) {
      // Only follow links that stay on the configured server: a next link must not leak the token.
      // HAPI pages from the base itself (`<base>?_getpages=...`), the sandbox from `<base>/Type?...`.
      if (!pathAndQuery.startsWith(`${baseUrl}/`) && !pathAndQuery.startsWith(`${baseUrl}?`)) throw new FhirClientError('bad-data', null);
      return pathAndQuery;
    }
    return `${baseUrl}/${pathAndQuery.replace(/^\/+/, '')}`;
  };

  const json = (raw: Raw): unknown => {
    try {
      return JSON.parse(raw.text) as unknown;
    } catch (error) {
      // Truncated JSON: retry like a drop; it is the transport, not the data, that failed.
      throw new FhirClientError('offline', raw.status, { cause: error });
    }
  };

  function toPage(raw: Raw): BundlePage {
    if (raw.status !== 200) throw new FhirClientError(raw.status === 404 || raw.status === 410 ? 'bad-data' : 'server-error', raw.status);
    const bundle = bundleSchema.safeParse(json(raw));
    if (!bundle.success) throw new FhirClientError('bad-data', raw.status);
    const nextUrl = bundle.data.link?.find((l) => l.relation === 'next')?.url ?? null;
    return { entries: bundle.data.entry ?? [], total: bundle.data.total ?? null, nextUrl, serverTime: raw.serverTime };
  }

  return {
    baseUrl,
    async probe() {
      try {
        return (await attempt(`${baseUrl}/metadata?_summary=true`, { method: 'GET' }, options.probeTimeoutMs ?? 3_000)).serverTime;
      } catch (error) {
        // Any HTTP answer, even a 5xx, proves the server is reachable: the run's own retries take it from there.
        if (error instanceof FhirClientError && error.reason === 'server-error') return (error as { serverTime?: string }).serverTime ?? '';
        throw error;
      }
    },
    page: (pathAndQuery) => send(resolve(pathAndQuery), { method: 'GET' }, toPage),
    read: (resourceType, id, versionId) =>
      send(`${baseUrl}/${resourceType}/${encodeURIComponent(id)}${versionId ? `/_history/${encodeURIComponent(versionId)}` : ''}`, { method: 'GET' }, (raw) => {
        if (raw.status === 404 || raw.status === 410) return null;
        if (raw.status !== 200) throw new FhirClientError('server-error', raw.status);
        return json(raw);
      }),
    transaction: (bundle) =>
      // HAPI answers a transaction with bare response entries unless asked for the resources
      // (https://hl7.org/fhir/R4/http.html#ops); without them each would need a read of its own.
      send(`${baseUrl}`, { method: 'POST', body: JSON.stringify(bundle), headers: { prefer: 'return=representation' } }, (raw): TransactionOutcome => {
        if (raw.status >= 400) return { isOk: false, status: raw.status, failedIndex: failedEntryIndex(raw.text), serverTime: raw.serverTime };
        const parsed = bundleSchema.safeParse(json(raw));
        if (!parsed.success) throw new FhirClientError('bad-data', raw.status);
        return { isOk: true, entries: parsed.data.entry ?? [], serverTime: raw.serverTime };
      }),
    stats: () => ({ ...stats }),
  };
}
