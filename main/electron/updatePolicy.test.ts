import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { updateStatusSchema } from '../../contract/appMethods';
import { readConfig } from '../config';
import { UPDATE_MESSAGES, decideUpdates, initialUpdateStatus, nextUpdateStatus, publisherNamesOf } from './updatePolicy';

const signedWindows = { isPackaged: true, platform: 'win32', publisherNames: ['CN=Example Ambulance Service NHS Trust, O=Example Ambulance Service NHS Trust, C=GB'] } as const;

describe('updates are off unless the trust configures a signed, https feed', () => {
  it('updates a signed Windows install from the configured https URL', () => {
    expect(decideUpdates({ ...signedWindows, updateUrl: 'https://updates.example.nhs.uk/onscene/' })).toEqual({ enabled: true, url: 'https://updates.example.nhs.uk/onscene/' });
  });
  it('is off when no update URL is configured', () => {
    expect(decideUpdates({ ...signedWindows, updateUrl: null })).toEqual({ enabled: false, message: UPDATE_MESSAGES.notConfigured });
    expect(decideUpdates({ ...signedWindows, updateUrl: '' })).toEqual({ enabled: false, message: UPDATE_MESSAGES.notConfigured });
  });
  it.each(['http://updates.example.nhs.uk/', 'file:///C:/updates/', 'ftp://updates.example.nhs.uk/', 'javascript:alert(1)', 'https://user:pw@updates.example.nhs.uk/', 'not a url', '//updates.example.nhs.uk/'])(
    'refuses the feed %s',
    (updateUrl) => {
      expect(decideUpdates({ ...signedWindows, updateUrl })).toEqual({ enabled: false, message: UPDATE_MESSAGES.notHttps });
    },
  );
  it('is off for an unsigned Windows build: electron-updater would skip the signature check', () => {
    for (const publisherNames of [null, [], [''], ['  ']]) {
      expect(decideUpdates({ ...signedWindows, publisherNames, updateUrl: 'https://updates.example.nhs.uk/' })).toEqual({ enabled: false, message: UPDATE_MESSAGES.unsigned });
    }
  });
  it('is off on Linux (no signature check there), on other systems and in development', () => {
    const updateUrl = 'https://updates.example.nhs.uk/';
    expect(decideUpdates({ ...signedWindows, platform: 'linux', updateUrl })).toEqual({ enabled: false, message: UPDATE_MESSAGES.linux });
    expect(decideUpdates({ ...signedWindows, platform: 'darwin', updateUrl })).toEqual({ enabled: false, message: UPDATE_MESSAGES.unsupported });
    expect(decideUpdates({ ...signedWindows, isPackaged: false, updateUrl })).toEqual({ enabled: false, message: UPDATE_MESSAGES.notPackaged });
  });
  it('reads publisherName from app-update.yml as electron-builder writes it', () => {
    expect(publisherNamesOf({ provider: 'generic', url: 'https://x/', publisherName: ['CN=A'] })).toEqual(['CN=A']);
    expect(publisherNamesOf({ publisherName: 'CN=A' })).toEqual(['CN=A']);
    for (const hostile of [null, undefined, 'publisherName: x', 42, { publisherName: 7 }, { publisherName: ['CN=A', 1] }, {}]) expect(publisherNamesOf(hostile)).toBeNull();
  });
});

describe('the update status the page sees', () => {
  const on = initialUpdateStatus({ enabled: true, url: 'https://u/' });
  it('walks check → download → ready, and stays ready', () => {
    let s = nextUpdateStatus(on, { type: 'checking-for-update' });
    expect(s.state).toBe('checking');
    s = nextUpdateStatus(s, { type: 'update-available', version: '0.2.0' });
    expect(s).toMatchObject({ state: 'downloading', version: '0.2.0', percent: 0 });
    s = nextUpdateStatus(s, { type: 'download-progress', percent: 41.7 });
    expect(s).toMatchObject({ state: 'downloading', version: '0.2.0', percent: 41 });
    s = nextUpdateStatus(s, { type: 'update-downloaded', version: '0.2.0' });
    expect(s).toMatchObject({ state: 'ready', version: '0.2.0' });
    expect(nextUpdateStatus(s, { type: 'error' })).toBe(s);
    expect(nextUpdateStatus(s, { type: 'update-not-available' })).toBe(s);
  });
  it('keeps progress honest (0–100, whole numbers) and every status valid for the contract', () => {
    const downloading = nextUpdateStatus(on, { type: 'update-available', version: '1' });
    for (const percent of [-5, 250, Number.NaN, Number.POSITIVE_INFINITY, 99.99]) {
      const s = nextUpdateStatus(downloading, { type: 'download-progress', percent });
      expect(s.percent).toBeGreaterThanOrEqual(0);
      expect(s.percent).toBeLessThanOrEqual(100);
      expect(updateStatusSchema.safeParse(s).success).toBe(true);
    }
    const long = nextUpdateStatus(on, { type: 'update-available', version: 'x'.repeat(500) });
    expect(updateStatusSchema.safeParse(long).success).toBe(true);
  });
  it('never leaves off, and a failure says what happens next without the raw error', () => {
    const off = initialUpdateStatus({ enabled: false, message: UPDATE_MESSAGES.notConfigured });
    expect(nextUpdateStatus(off, { type: 'update-downloaded', version: '9' })).toBe(off);
    expect(nextUpdateStatus(on, { type: 'error' })).toMatchObject({ state: 'failed', message: expect.stringMatching(/keeps working/) });
  });
});

describe('where the trust configures the update URL', () => {
  it('reads updates.url from the config file, ONSCENE_UPDATE_URL over it, and none by default', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-update-config-'));
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify({ central: { url: 'https://fhir.example.nhs.uk/R4' }, updates: { url: 'https://updates.example.nhs.uk/onscene/' } }));
    expect(readConfig([], {}).updateUrl).toBeNull();
    expect(readConfig(['--config', file], {}).updateUrl).toBe('https://updates.example.nhs.uk/onscene/');
    expect(readConfig(['--config', file], { ONSCENE_UPDATE_URL: 'https://other.example.nhs.uk/' }).updateUrl).toBe('https://other.example.nhs.uk/');
    fs.writeFileSync(file, JSON.stringify({ updates: { url: 'not a url' } }));
    expect(() => readConfig(['--config', file], {})).toThrow(/updates\.url/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
