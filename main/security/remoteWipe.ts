import type { Device } from '@medplum/fhirtypes';
import type { FhirClient } from '../../sync/fhirClient';
import { searchMatches } from '../../sync/fhirSearch';

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

/** Device.status values that can carry an instruction; `satisfies` keeps them FHIR's own. */
const INSTRUCTED_STATUS = 'inactive' satisfies NonNullable<Device['status']>;

/** Throws FhirClientError when the central record cannot answer: no answer is not an instruction. */
export async function hasWipeInstruction(client: FhirClient, deviceId: string): Promise<boolean> {
  const query = `Device?identifier=${encodeURIComponent(`${DEVICE_ID_SYSTEM}|${deviceId}`)}`;
  const devices = await searchMatches<Device>(client, query, 'Device', 1);
  return devices.some(
    (d) =>
      d.identifier?.some((i) => i.system === DEVICE_ID_SYSTEM && i.value === deviceId) &&
      d.status === INSTRUCTED_STATUS &&
      (d.statusReason ?? []).some((r) => (r.coding ?? []).some((c) => c.system === DEVICE_INSTRUCTION_SYSTEM && c.code === WIPE_CODE)),
  );
}
