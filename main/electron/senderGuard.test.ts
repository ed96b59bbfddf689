import { describe, expect, it } from 'vitest';
import { isAllowedNavigation, isIdentityProviderUrl, isTrustedIpcSender, isTrustedSender } from './senderGuard';

describe('Electron sender guard', () => {
  it('trusts only the app origin in the main frame', () => {
    expect(isTrustedSender('app://onscene/index.html', true)).toBe(true);
    expect(isTrustedSender('app://onscene/index.html', false)).toBe(false);
  });
  it.each([
    'https://evil.example/',
    'file:///etc/passwd',
    'app://onscene.evil.example/',
    'app://evil/onscene',
    'http://127.0.0.1:4000/',
    'javascript:alert(1)',
    'data:text/html,<script>1</script>',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(isTrustedSender(url, true)).toBe(false);
    expect(isAllowedNavigation(url)).toBe(false);
  });
});

describe('sign-in in the system browser', () => {
  const issuer = 'https://idp.example.nhs.uk/realms/Healthcare';
  it('opens only the configured identity provider’s own origin, over https', () => {
    expect(isIdentityProviderUrl('https://idp.example.nhs.uk/authorize?client_id=onscene', issuer)).toBe(true);
    expect(isIdentityProviderUrl('http://idp.example.nhs.uk/authorize', issuer)).toBe(false);
    expect(isIdentityProviderUrl('http://127.0.0.1:4000/auth', 'http://127.0.0.1:4000')).toBe(true);
  });
  it.each(['https://idp.example.nhs.uk.evil.example/authorize', 'https://evil.example/?https://idp.example.nhs.uk', 'javascript:alert(1)', 'not a url', ''])('refuses %s', (url) => {
    expect(isIdentityProviderUrl(url, issuer)).toBe(false);
  });
  it('opens nothing when no identity provider is configured', () => {
    expect(isIdentityProviderUrl('https://idp.example.nhs.uk/authorize', null)).toBe(false);
  });
});

describe('IPC sender checks', () => {
  const ours = { senderId: 7, windowId: 7, frameUrl: 'app://onscene/index.html', isMainFrame: true };
  it('accepts the main frame of our own window on our page', () => {
    expect(isTrustedIpcSender(ours)).toBe(true);
  });
  it.each([
    ['another web contents', { ...ours, senderId: 8 }],
    ['before the window exists or after it closed', { ...ours, windowId: null }],
    ['a subframe', { ...ours, isMainFrame: false }],
    ['a destroyed frame', { ...ours, frameUrl: null }],
    ['a frame with no URL', { ...ours, frameUrl: undefined }],
    ['another origin in our window', { ...ours, frameUrl: 'https://evil.example/' }],
    ['file:// in our window', { ...ours, frameUrl: 'file:///opt/OnScene/resources/app.asar/dist/renderer/index.html' }],
    ['a look-alike host', { ...ours, frameUrl: 'app://onscene.evil/index.html' }],
    ['about:blank', { ...ours, frameUrl: 'about:blank' }],
  ])('refuses %s', (_label, facts) => {
    expect(isTrustedIpcSender(facts)).toBe(false);
  });
});
