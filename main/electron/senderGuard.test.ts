import { describe, expect, it } from 'vitest';
import { isAllowedNavigation, isTrustedSender } from './senderGuard';

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
