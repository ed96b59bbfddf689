import { describe, expect, it } from 'vitest';
import { takeSignInReturn } from './signInReturn';

const at = (hash: string) => {
  const replaced: string[] = [];
  const result = takeSignInReturn({ hash, pathname: '/', search: '' }, { replaceState: (_d: unknown, _u: string, url?: string | URL | null) => void replaced.push(String(url)) });
  return { result, replaced };
};

describe('takeSignInReturn', () => {
  it('takes the one-use ticket once and removes it from the address', () => {
    const { result, replaced } = at('#signin=AbCdEfGhIjKlMnOpQrStUv-_12');
    expect(result).toEqual({ ticket: 'AbCdEfGhIjKlMnOpQrStUv-_12', notice: null });
    expect(replaced).toEqual(['/']);
  });
  it('turns an error code into our own words, never text from the address', () => {
    expect(at('#signinError=not-configured').result.notice).toMatch(/not set up on this device/);
    const crafted = at('#signinError=Call%200800%20now').result;
    expect(crafted).toEqual({ ticket: null, notice: 'Online sign-in did not complete. Start online sign-in again.' });
  });
  it('ignores a malformed ticket and leaves an address without one alone', () => {
    expect(at('#signin=<script>').result.ticket).toBeNull();
    expect(at('#launch=abc')).toEqual({ result: { ticket: null, notice: null }, replaced: [] });
  });
});
