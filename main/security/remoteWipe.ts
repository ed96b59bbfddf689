import type { CentralSearch } from './centralSearch';

/**
 * Remote wipe (issue #4). The central record tells a lost or stolen laptop to destroy its data by
 * marking the laptop's Device resource: status "inactive" with statusReason
 * `https://fhir.onscene.example/CodeSystem/device-instruction|remote-wipe`. The laptop finds
 * its Device by identifier `https://fhir.onscene.example/Id/onscene-device|<device id>` (the id
 * in `device-id` in the data folder, shown in the audit trail as the observer). Checked after
 * every successful sync, so only a device that reaches the central record can be told.
 */
export const DEVICE_ID_SYSTEM = 'https://fhir.onscene.example/Id/onscene-device';
export const DEVICE_INSTRUCTION_SYSTEM = 'https://fhir.onscene.example/CodeSystem/device-instruction';
export const WIPE_CODE = 'remote-wipe';

type DeviceLike = Readonly<{ resourceType: string; status?: string; statusReason?: { coding?: { system?: string; code?: string }[] }[] }>;

export async function hasWipeInstruction(search: CentralSearch, deviceId: string): Promise<boolean> {
  const devices = (await search(`Device?identifier=${encodeURIComponent(`${DEVICE_ID_SYSTEM}|${deviceId}`)}`)) as unknown as DeviceLike[];
  return devices.some(
    (d) =>
      d.resourceType === 'Device' &&
      d.status === 'inactive' &&
      (d.statusReason ?? []).some((r) => (r.coding ?? []).some((c) => c.system === DEVICE_INSTRUCTION_SYSTEM && c.code === WIPE_CODE)),
  );
}

/**
 * Best-effort upload of audit entries before the shred: one transaction Bundle of PUTs by id
 * (idempotent if the regular uploader already sent some). Returns how many the server accepted.
 */
export async function uploadAuditBeforeWipe(baseUrl: string, bearerToken: string | null, events: readonly { id?: string }[]): Promise<number> {
  if (events.length === 0) return 0;
  const entries = events.map((resource) => ({ resource, request: { method: 'PUT', url: `AuditEvent/${resource.id ?? ''}` } }));
  try {
    const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json', ...(bearerToken ? { authorization: `Bearer ${bearerToken}` } : {}) },
      body: JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: entries }),
      signal: AbortSignal.timeout(15_000),
    });
    return response.ok ? events.length : 0;
  } catch {
    return 0; // lost signal mid-wipe: the shred goes ahead; the marker records how many were not sent
  }
}
