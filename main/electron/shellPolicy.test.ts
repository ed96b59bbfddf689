import { describe, expect, it } from 'vitest';
import { isDeviceGranted, isPermissionGranted, lockReasonFor, machineConfigPath, mayAttachWebview, withMachineConfig } from './shellPolicy';

// Every permission name Electron's permission handlers can be asked about (Electron 45 session API).
const PERMISSIONS = [
  'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'fullscreen', 'geolocation', 'idle-detection', 'media',
  'mediaKeySystem', 'midi', 'midiSysex', 'notifications', 'pointerLock', 'keyboardLock', 'openExternal', 'speaker-selection',
  'storage-access', 'top-level-storage-access', 'window-management', 'unknown', 'fileSystem', 'hid', 'serial', 'usb', 'bluetooth',
  '', '__proto__', 'constructor',
];

describe('the shell grants the page nothing', () => {
  it.each(PERMISSIONS)('refuses the permission %s, from our own origin and from anyone else', (permission) => {
    for (const origin of ['app://onscene', 'app://onscene/', 'https://evil.example', 'file://', '', null, undefined]) {
      expect(isPermissionGranted(permission, origin)).toBe(false);
    }
  });
  it.each(['hid', 'serial', 'usb', 'bluetooth'])('refuses the device type %s', (device) => {
    expect(isDeviceGranted(device)).toBe(false);
  });
  it.each(['app://onscene/index.html', 'https://evil.example/', 'about:blank', '', null])('never attaches a <webview> (src %s)', (src) => {
    expect(mayAttachWebview(src)).toBe(false);
  });
});

describe('locking with the computer', () => {
  it('locks on suspend and screen lock', () => {
    expect(lockReasonFor('suspend')).toBe('suspend');
    expect(lockReasonFor('lock-screen')).toBe('lock-screen');
  });
  it.each(['resume', 'unlock-screen', 'on-ac', 'on-battery', 'shutdown', 'user-did-become-active', '', 'SUSPEND'])('does not lock, or unlock, on %s', (event) => {
    expect(lockReasonFor(event)).toBeNull();
  });
});

describe('the machine-wide config file a trust deploys', () => {
  it('is in ProgramData on Windows and /etc on Linux', () => {
    expect(machineConfigPath('win32', 'C:\\ProgramData')).toBe('C:\\ProgramData\\OnScene\\config.json');
    expect(machineConfigPath('win32', 'D:\\ProgramData\\')).toBe('D:\\ProgramData\\OnScene\\config.json');
    expect(machineConfigPath('linux', undefined)).toBe('/etc/onscene/config.json');
  });
  it.each([undefined, '', 'ProgramData', '\\\\server\\share', '..\\x', '/tmp'])('ignores a ProgramData of %s', (programData) => {
    expect(machineConfigPath('win32', programData)).toBeNull();
  });
  it('has none elsewhere', () => {
    expect(machineConfigPath('darwin', 'C:\\ProgramData')).toBeNull();
  });
});

describe('which config file the desktop app reads', () => {
  const present = (file: string) => file === '/etc/onscene/config.json';
  it('uses the machine-wide file when nothing else names one', () => {
    expect(withMachineConfig([], { HOME: '/home/crew' }, 'linux', present)).toEqual({ HOME: '/home/crew', ONSCENE_CONFIG: '/etc/onscene/config.json' });
  });
  it('leaves --config, --config=… and ONSCENE_CONFIG to win, and a missing machine file alone', () => {
    const env = { HOME: '/home/crew' };
    expect(withMachineConfig(['--config', '/tmp/a.json'], env, 'linux', present)).toBe(env);
    expect(withMachineConfig(['--config=/tmp/a.json'], env, 'linux', present)).toBe(env);
    const named = { ONSCENE_CONFIG: '/tmp/b.json' };
    expect(withMachineConfig([], named, 'linux', present)).toBe(named);
    expect(withMachineConfig([], env, 'linux', () => false)).toBe(env);
    expect(withMachineConfig([], { ProgramData: 'C:\\ProgramData' }, 'win32', (f) => f === 'C:\\ProgramData\\OnScene\\config.json')).toEqual({
      ProgramData: 'C:\\ProgramData',
      ONSCENE_CONFIG: 'C:\\ProgramData\\OnScene\\config.json',
    });
  });
});
