import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from './config';

// Configuration is parsed once, here: flags over environment over the trust's config file over defaults.
const fileWith = (content: unknown): string => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'onscene-config-')), 'onscene.json');
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

describe('readConfig', () => {
  it('has no central record and no identity provider unless one is configured', () => {
    const config = readConfig([], {});
    expect(config).toMatchObject({ centralUrl: null, identity: null, vehicle: 'K101', syncIntervalMs: 30_000, area: null, organizationId: null, shell: 'auto' });
    expect(config.policy).toMatchObject({ idleLockMs: 300_000, reauthAfterDays: 14, breakGlassMs: 3_600_000 });
  });

  it('reads a trust’s config file: central record, identity provider, area, organisation and policy', () => {
    const file = fileWith({
      central: { url: 'https://fhir.example.nhs.uk/R4' },
      identity: { issuer: 'https://idp.example.nhs.uk', clientId: 'onscene-las' },
      vehicle: 'K303',
      organizationId: 'org-ambulance',
      area: { districts: ['E8', 'N1'] },
      policy: { idleLockMs: 120_000, reauthAfterDays: 7 },
    });
    const config = readConfig(['--config', file], {});
    expect(config).toMatchObject({
      centralUrl: 'https://fhir.example.nhs.uk/R4',
      identity: { issuer: 'https://idp.example.nhs.uk', clientId: 'onscene-las', scope: 'openid profile offline_access' },
      vehicle: 'K303',
      organizationId: 'org-ambulance',
      area: { districts: ['E8', 'N1'], requireActiveCarePlan: true },
      policy: { idleLockMs: 120_000, reauthAfterDays: 7 },
    });
  });

  it('lets flags win over the environment, and the environment over the file', () => {
    const file = fileWith({ central: { url: 'https://file.example/R4' }, vehicle: 'K1', policy: { idleLockMs: 1000 } });
    const env = { ONSCENE_CONFIG: file, ONSCENE_CENTRAL_URL: 'https://env.example/R4', ONSCENE_VEHICLE: 'K2', ONSCENE_IDLE_LOCK_MS: '2000' };
    expect(readConfig([], env)).toMatchObject({ centralUrl: 'https://env.example/R4', vehicle: 'K2', policy: { idleLockMs: 2000 } });
    expect(readConfig(['--central', 'https://flag.example/R4', '--vehicle=K3'], env)).toMatchObject({ centralUrl: 'https://flag.example/R4', vehicle: 'K3' });
  });

  it('says plainly what is wrong, naming the setting and never guessing', () => {
    expect(() => readConfig(['--central', 'not a url'], {})).toThrow(/--central must be a URL/);
    expect(() => readConfig(['--bogus'], {})).toThrow(/Unknown option --bogus/);
    expect(() => readConfig([], { ONSCENE_IDLE_LOCK_MS: 'soon' })).toThrow(/ONSCENE_IDLE_LOCK_MS must be a whole number/);
    expect(() => readConfig(['--config', fileWith('{ not json')], {})).toThrow(/is not valid JSON/);
    expect(() => readConfig(['--config', fileWith({ central: { url: 'https://x.example' }, colour: 'blue' })], {})).toThrow(/is not valid/);
    expect(() => readConfig(['--config', fileWith({ identity: { issuer: 'nope', clientId: 'x' } })], {})).toThrow(/identity\.issuer/);
    expect(() => readConfig(['--config', '/no/such/file.json'], {})).toThrow(/cannot be read/);
  });
});

describe('the desktop app without a central record', () => {
  it('refuses to start and says how to configure one, rather than starting any stand-in', async () => {
    const { requireCentral } = await import('./app');
    expect(() => requireCentral(readConfig([], {}))).toThrow(/No central record is configured.*--central <url>.*ONSCENE_CENTRAL_URL.*central\.url/);
    expect(requireCentral(readConfig(['--central', 'https://fhir.example.nhs.uk/R4'], {})).centralUrl).toBe('https://fhir.example.nhs.uk/R4');
  });
});
