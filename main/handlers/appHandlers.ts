import type { UpdateStatus } from '../../contract/appMethods';
import { AppError } from '../../core/errors';
import type { Handlers } from '../dispatch';
import type { Services } from './services';

/**
 * The shell's updater as the services see it (issue #16). Electron's is main/electron/updater.ts
 * (electron-updater); the web shell has none and uses NO_UPDATES.
 */
export type UpdatePort = Readonly<{
  status(): UpdateStatus;
  /** Installs the downloaded update and restarts; only ever on the user's own request. */
  restartToUpdate(): void;
}>;

export const UPDATES_UNMANAGED_MESSAGE = 'Updates are managed by the desktop app. This window has no updates of its own.';

/** The web shell (and any host without an updater): nothing to offer, nothing to restart. */
export const NO_UPDATES: UpdatePort = {
  status: () => ({ state: 'off', version: null, percent: null, message: UPDATES_UNMANAGED_MESSAGE }),
  restartToUpdate: () => {
    throw new AppError('not-configured', UPDATES_UNMANAGED_MESSAGE);
  },
};

export type AppHandlers = Readonly<{ 'app.updateStatus': Handlers['app.updateStatus']; 'app.restartToUpdate': Handlers['app.restartToUpdate'] }>;

/** No patient data and no session: the notice shows on the sign-in screen too. */
export function createAppHandlers(s: Services): AppHandlers {
  return {
    'app.updateStatus': async () => s.updates.status(),
    'app.restartToUpdate': async () => {
      if (s.updates.status().state !== 'ready') throw new AppError('not-found', 'There is no downloaded update to install yet.');
      s.updates.restartToUpdate();
      return {};
    },
  };
}
