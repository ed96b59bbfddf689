import { z } from 'zod';

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

/** The minimum we trust of a resource from the central record before storing it. */
export const fhirResourceSchema = z
  .object({
    resourceType: z.string().regex(/^[A-Z][A-Za-z]{1,63}$/),
    id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
    meta: z.object({ versionId: z.string().optional(), lastUpdated: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();
export type FhirResource = z.infer<typeof fhirResourceSchema>;

const bundleSchema = z.object({
  resourceType: z.literal('Bundle'),
  link: z.array(z.object({ relation: z.string(), url: z.string() })).optional(),
  entry: z.array(z.object({ resource: z.unknown().optional(), search: z.object({ mode: z.string().optional() }).optional() })).optional(),
});

export type SearchPage = Readonly<{
  /** Entries that passed validation. */
  resources: FhirResource[];
  /** Entries that did not: counted and reported, never stored. */
  rejected: number;
  nextUrl: string | null;
  /** The server's clock at the time of the answer (HTTP Date), for freshness and skew. */
  serverTime: string;
}>;

export type FhirClientOptions = Readonly<{
  baseUrl: string;
  bearerToken?: string;
  timeoutMs?: number;
}>;

export type FhirClient = Readonly<{
  baseUrl: string;
  /** One page of a search; `pathAndQuery` relative to the base (e.g. "Task?owner=..."), or a server-given next URL. */
  searchPage(pathAndQuery: string): Promise<SearchPage>;
  /** Every page of a search, page by page, so callers commit as they go. */
  searchAll(pathAndQuery: string): AsyncGenerator<SearchPage>;
}>;

/** A FHIR R4 REST client over global fetch, with typed failures and validated input. */
export function createFhirClient(options: FhirClientOptions): FhirClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function getJson(url: string): Promise<{ body: unknown; serverTime: string }> {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: {
          accept: 'application/fhir+json',
          ...(options.bearerToken ? { authorization: `Bearer ${options.bearerToken}` } : {}),
        },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new FhirClientError('offline', null, { cause: error });
    }
    const dateHeader = response.headers.get('date');
    const serverTime = dateHeader ? new Date(dateHeader).toISOString() : new Date().toISOString();
    if (response.status === 401 || response.status === 403) throw new FhirClientError('auth', response.status);
    if (!response.ok) throw new FhirClientError('server-error', response.status);
    try {
      return { body: await response.json(), serverTime };
    } catch (error) {
      // A body cut off mid-way is a dropped connection, not a server bug.
      throw new FhirClientError('offline', response.status, { cause: error });
    }
  }

  const resolve = (pathAndQuery: string): string => {
    if (/^https?:\/\//.test(pathAndQuery)) {
      // Only follow links that stay on the configured server.
      if (!pathAndQuery.startsWith(`${baseUrl}/`)) throw new FhirClientError('bad-data', null);
      return pathAndQuery;
    }
    return `${baseUrl}/${pathAndQuery.replace(/^\/+/, '')}`;
  };

  async function searchPage(pathAndQuery: string): Promise<SearchPage> {
    const { body, serverTime } = await getJson(resolve(pathAndQuery));
    const bundle = bundleSchema.safeParse(body);
    if (!bundle.success) throw new FhirClientError('bad-data', null);
    const resources: FhirResource[] = [];
    let rejected = 0;
    for (const entry of bundle.data.entry ?? []) {
      const parsed = fhirResourceSchema.safeParse(entry.resource);
      if (parsed.success) resources.push(parsed.data);
      else rejected++;
    }
    const nextUrl = bundle.data.link?.find((l) => l.relation === 'next')?.url ?? null;
    return { resources, rejected, nextUrl, serverTime };
  }

  return {
    baseUrl,
    searchPage,
    async *searchAll(pathAndQuery) {
      let next: string | null = pathAndQuery;
      while (next) {
        const page = await searchPage(next);
        yield page;
        next = page.nextUrl;
      }
    },
  };
}
