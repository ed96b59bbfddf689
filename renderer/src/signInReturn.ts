/** What the page finds in its address after the identity provider sent the browser back. */
export type SignInReturn = Readonly<{ ticket: string | null; notice: string | null }>;

const ERROR_NOTICES: Readonly<Record<string, string>> = {
  'not-configured': 'Online sign-in is not set up on this device. Ask your IT team.',
  internal: 'Online sign-in did not complete because of a problem inside OnScene. Start online sign-in again.',
};

/**
 * Reads `#signin=<ticket>` (or `#signinError=<code>`) once and removes it from the address, so a
 * reload or a shared screen does not show it. The ticket is one-use and names nobody.
 */
export function takeSignInReturn(location: Pick<Location, 'hash' | 'pathname' | 'search'>, history: Pick<History, 'replaceState'>): SignInReturn {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const ticket = params.get('signin');
  const error = params.get('signinError');
  if (ticket === null && error === null) return { ticket: null, notice: null };
  params.delete('signin');
  params.delete('signinError');
  const rest = params.toString();
  history.replaceState(null, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
  const isTicket = ticket !== null && /^[A-Za-z0-9_-]{16,64}$/.test(ticket);
  return { ticket: isTicket ? ticket : null, notice: error === null ? null : (ERROR_NOTICES[error] ?? 'Online sign-in did not complete. Start online sign-in again.') };
}
