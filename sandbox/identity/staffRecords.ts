import type { OperationOutcome, Organization, Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import { buildDemoStaff, buildOrganizations, ORGANIZATIONS } from '../synthPeople';

type StaffResource = Organization | Practitioner | PractitionerRole;

/**
 * What a FHIR server needs for the demo users to work in OnScene: the ambulance service, then each
 * user's Practitioner (identified by SDS user id) and active PractitionerRole, exactly as the
 * sandbox generator writes them. Order matters: a server that checks references sees targets first.
 */
export function demoStaffResources(): StaffResource[] {
  const ambulance = buildOrganizations().filter((o) => o.id === ORGANIZATIONS.ambulance.id);
  return [...ambulance, ...buildDemoStaff()];
}

function problem(body: unknown): string {
  const issue = (body as Partial<OperationOutcome> | undefined)?.issue?.[0];
  return issue?.details?.text ?? issue?.diagnostics ?? '';
}

export type EnsureStaffOptions = Readonly<{
  /** Sent as `Authorization: Bearer …`: a server that gates writes (the sandbox does) needs one. */
  bearerToken?: string;
  signal?: AbortSignal;
}>;

/**
 * PUTs each resource by its client-assigned id (create or replace), so running it again changes
 * nothing but versions. Throws with the status and the server's OperationOutcome text on the first refusal.
 */
export async function ensureDemoStaff(fhirBaseUrl: string, options: EnsureStaffOptions = {}): Promise<number> {
  const { bearerToken, signal } = options;
  const base = fhirBaseUrl.replace(/\/+$/, '');
  const resources = demoStaffResources();
  for (const resource of resources) {
    const where = `${resource.resourceType}/${resource.id ?? ''}`;
    const res = await fetch(`${base}/${where}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/fhir+json', accept: 'application/fhir+json', ...(bearerToken ? { authorization: `Bearer ${bearerToken}` } : {}) },
      body: JSON.stringify(resource),
      signal: signal ?? AbortSignal.timeout(30_000),
    });
    const body: unknown = await res.json().catch(() => undefined);
    if (res.status !== 200 && res.status !== 201) {
      const detail = problem(body);
      throw new Error(`PUT ${where} answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`);
    }
  }
  return resources.length;
}
