import { SYSTEMS } from '../core/fhirCodes';
import type { FhirClient } from './fhirClient';
import { validateIncoming } from './resourceSchemas';

/**
 * Issue #13: does the central record know this incident? A clinical adviser joining an incident
 * by its number (or Task id) that is not on this device asks here. Standard search on the Task's
 * identifier (`Task?identifier=<incident number system>|<number>`), then by id.
 * Returns the Task id, or null when the central record has no such incident.
 * Throws FhirClientError only (offline, auth, server-error, bad-data), never with PHI.
 */
export async function findCentralIncident(client: FhirClient, reference: string): Promise<string | null> {
  const queries = [
    `Task?identifier=${encodeURIComponent(`${SYSTEMS.incidentNumber}|${reference}`)}&_count=2`,
    ...(/^[A-Za-z0-9\-.]{1,64}$/.test(reference) ? [`Task?_id=${encodeURIComponent(reference)}&_count=2`] : []),
  ];
  for (const query of queries) {
    const page = await client.page(query);
    for (const entry of page.entries) {
      if (entry.search?.mode !== undefined && entry.search.mode !== 'match') continue;
      const checked = validateIncoming(entry.resource, client.baseUrl);
      if (checked.isValid && checked.resource.resourceType === 'Task') return checked.resource.id;
    }
  }
  return null;
}

