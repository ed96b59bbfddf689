/** Small fetch helpers shared by the sandbox tests (real HTTP, no mocks). */
import type { Bundle, Resource } from '@medplum/fhirtypes';

export type JsonResponse<T> = Readonly<{ status: number; headers: Headers; body: T }>;

export type FhirInit = RequestInit & Readonly<{ json?: unknown; token?: string }>;

/**
 * One request as a FHIR client makes it: writes carry `application/fhir+json` (the sandbox refuses
 * any other type, issue #10 item 4), and `token` is sent as the bearer.
 */
export async function fhir<T = Resource>(url: string, init: FhirInit = {}): Promise<JsonResponse<T>> {
  const { json, token, ...rest } = init;
  const isWrite = rest.method !== undefined && rest.method.toUpperCase() !== 'GET';
  const res = await fetch(url, {
    ...rest,
    headers: {
      ...(json !== undefined || isWrite ? { 'content-type': 'application/fhir+json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(rest.headers as Record<string, string> | undefined),
    },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

export function nextLink(bundle: Bundle): string | undefined {
  return bundle.link?.find((l) => l.relation === 'next')?.url;
}

/** Follows every `next` link from `url`, returning all pages. */
export async function walkPages(url: string): Promise<Bundle[]> {
  const pages: Bundle[] = [];
  let next: string | undefined = url;
  while (next) {
    const { status, body } = await fhir<Bundle>(next);
    if (status !== 200) throw new Error(`page ${pages.length} answered ${status}`);
    pages.push(body);
    next = nextLink(body);
    if (pages.length > 10_000) throw new Error('paging does not end');
  }
  return pages;
}

export function matchIds(pages: readonly Bundle[]): string[] {
  return pages.flatMap((p) => (p.entry ?? []).filter((e) => e.search?.mode !== 'include').map((e) => `${e.resource?.resourceType}/${e.resource?.id}`));
}
