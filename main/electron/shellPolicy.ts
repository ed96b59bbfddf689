/**
 * Pure security decisions of the Electron shell (issue #16; Electron's security checklist,
 * https://www.electronjs.org/docs/latest/tutorial/security). main.ts only wires them to events,
 * so each is tested in plain Node with hostile input.
 */

/**
 * Permission requests *and* checks: OnScene needs none (no camera, microphone, notifications,
 * geolocation, clipboard, HID, serial, MIDI, fullscreen by the page…), so every one is refused,
 * whoever asks, including our own origin: a page that gains script cannot gain a device.
 */
export const isPermissionGranted = (_permission: string, _requestingOrigin: string | null | undefined): boolean => false;

/** Devices the page may pick (HID, serial, USB, Bluetooth): none. */
export const isDeviceGranted = (_deviceType: string): boolean => false;

/** `<webview>` tags are never attached, in any web contents. */
export const mayAttachWebview = (_src: string | null | undefined): boolean => false;

/** Power and screen events that lock every session at once (the crew left the laptop). */
export type PowerEvent = 'suspend' | 'resume' | 'lock-screen' | 'unlock-screen' | 'on-ac' | 'on-battery' | 'shutdown';
export type LockReason = 'suspend' | 'lock-screen';

/** The reason to lock now, or null. Resume and unlock never unlock OnScene: only the user's PIN does. */
export function lockReasonFor(event: string): LockReason | null {
  return event === 'suspend' || event === 'lock-screen' ? event : null;
}

/**
 * Where a config file a trust's IT deploys for every user of the machine is looked for, when
 * neither `--config` nor ONSCENE_CONFIG names one: `%ProgramData%\OnScene\config.json` on
 * Windows, `/etc/onscene/config.json` on Linux. Null where there is no such place.
 */
export function machineConfigPath(platform: NodeJS.Platform, programData: string | undefined): string | null {
  if (platform === 'win32') {
    // Only an absolute drive path: a relative or UNC ProgramData is not the machine's own folder.
    return programData && /^[A-Za-z]:\\/.test(programData) ? `${programData.replace(/\\+$/, '')}\\OnScene\\config.json` : null;
  }
  if (platform === 'linux') return '/etc/onscene/config.json';
  return null;
}

/**
 * The environment readConfig gets: unchanged when `--config` or ONSCENE_CONFIG names a file;
 * otherwise with ONSCENE_CONFIG set to the machine-wide file, when that file exists.
 */
export function withMachineConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  exists: (file: string) => boolean,
): NodeJS.ProcessEnv {
  if (env.ONSCENE_CONFIG || argv.some((a) => a === '--config' || a.startsWith('--config='))) return env;
  const machineFile = machineConfigPath(platform, env.ProgramData);
  return machineFile && exists(machineFile) ? { ...env, ONSCENE_CONFIG: machineFile } : env;
}
