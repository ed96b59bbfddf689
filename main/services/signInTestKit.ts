import { TestBrowser, firstForm, startCallbackListener } from '../../sandbox/identity/browserTestKit';
import { type CallResult, type TestCore, caller } from './testCalls';

/**
 * Online sign-in in tests, the whole real flow: the app's authorization request, the sandbox
 * identity provider's own sign-in form over HTTP (username and password), the loopback redirect,
 * and the app's code exchange and staff look-up. Returns the one-use ticket the page would get.
 */
export async function onlineTicket(core: TestCore, who: Readonly<{ userId: string; password: string }>, browser: TestBrowser = new TestBrowser()): Promise<string> {
  const { value } = caller(() => core);
  const callback = await startCallbackListener();
  try {
    core.app.setRedirectUri(callback.redirectUri);
    const { authorizationUrl } = await value('session.onlineBegin', {});
    const login = await browser.navigate(authorizationUrl);
    const form = firstForm(login.body);
    if (login.status !== 200 || !form) throw new Error(`expected the identity provider's sign-in form, got HTTP ${login.status}`);
    await browser.navigate(new URL(form.action, login.url), { username: who.userId, password: who.password });
    const returned = callback.received[0];
    if (!returned) throw new Error('the identity provider did not send the browser back (wrong password?)');
    return await core.app.completeOnlineRedirect(returned);
  } finally {
    await callback.close();
  }
}

/** Online sign-in through the identity provider, then the PIN (or, at enrolment, the PIN chosen). */
export async function signInOnline(core: TestCore, who: Readonly<{ userId: string; password: string }>, pin: string): Promise<CallResult<'session.onlineComplete'>> {
  const ticket = await onlineTicket(core, who);
  return caller(() => core).call('session.onlineComplete', { ticket, pin });
}
