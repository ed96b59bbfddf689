/**
 * The two small reads security needs from the central record (is this practitioner active? has
 * this device been told to wipe?), over plain fetch so they do not depend on the sync client's
 * paging machinery. Standard FHIR R4 search; entries other than matches are ignored.
 */
export class CentralUnreachableError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('The central record cannot be reached.', options);
    this.name = 'CentralUnreachableError';
  }
}

export type CentralSearch = (pathAndQuery: string) => Promise<readonly Record<string, unknown>[]>;

export function createCentralSearch(baseUrl: string, bearerToken: string | null, timeoutMs = 10_000): CentralSearch {
  const base = baseUrl.replace(/\/+$/, '');
  return async (pathAndQuery) => {
    let response: Response;
    try {
      response = await fetch(`${base}/${pathAndQuery}`, {
        headers: { accept: 'application/fhir+json', ...(bearerToken ? { authorization: `Bearer ${bearerToken}` } : {}) },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new CentralUnreachableError({ cause: error });
    }
    if (!response.ok) throw new CentralUnreachableError();
    const body = (await response.json().catch(() => null)) as { resourceType?: string; entry?: { resource?: unknown; search?: { mode?: string } }[] } | null;
    if (body?.resourceType !== 'Bundle') throw new CentralUnreachableError();
    return (body.entry ?? [])
      .filter((e) => e.search?.mode !== 'include' && e.search?.mode !== 'outcome')
      .map((e) => e.resource)
      .filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null);
  };
}
