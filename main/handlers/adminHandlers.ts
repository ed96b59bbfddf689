import type { Handlers } from '../dispatch';
import type { Services } from './services';

export type AdminHandlers = Readonly<{ 'device.status': Handlers['device.status'] }>;

/** The device's own state (enrolled, wiped, needs recovery): no patient data, so no session needed. */
export function createAdminHandlers(s: Services): AdminHandlers {
  return {
    'device.status': async () => s.security.deviceStatus(),
  };
}
