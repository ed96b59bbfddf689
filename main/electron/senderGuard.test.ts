import { describe, expect, it } from 'vitest';
import { isAllowedNavigation, isIdentityProviderUrl, isTrustedSender } from './senderGuard';

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
