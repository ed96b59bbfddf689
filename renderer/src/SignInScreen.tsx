import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { type UserSummary } from '../../contract';
import { roleLabel } from './AppHeader';
import { useClient } from './ClientContext';
import { ErrorSummary, type ErrorItem } from './ErrorSummary';
import { SignInLockNotice, type SignInGateState } from './SignInLockNotice';
import { PinField } from './PinField';
import { OnlineSignInScreen } from './OnlineSignInScreen';
import { takeSignInReturn } from './signInReturn';

type Props = Readonly<{
  /** Why we are back here, e.g. the session ended. */
  notice: string | null;
  onSignedIn: (user: UserSummary) => void;
}>;

type UsersState = { kind: 'loading' } | { kind: 'loaded'; users: readonly UserSummary[]; isOnlineConfigured: boolean } | { kind: 'failed'; message: string };

export function SignInScreen({ notice: givenNotice, onSignedIn }: Props) {
  const client = useClient();
  // Back from the identity provider: a ticket to finish with, or the reason it did not work.
  const [returned] = useState(() => takeSignInReturn(window.location, window.history));
  const [ticket, setTicket] = useState<string | null>(returned.ticket);
  const [notice, setNotice] = useState<string | null>(returned.notice ?? givenNotice);
  const [isStartingOnline, setIsStartingOnline] = useState(false);
  const headingRef = useRef<HTMLHeadingElement | null>(null);
  const [users, setUsers] = useState<UsersState>({ kind: 'loading' });
  const [userId, setUserId] = useState('');
  const [pin, setPin] = useState('');
  const [errors, setErrors] = useState<readonly ErrorItem[]>([]);
  const [isSubmitting, setIsSubmitting] = useState(false);
  const [attempt, setAttempt] = useState(0);
  // Issue #4: back-off waits and "sign in online" come from main; the notice shows them.
  const [gate, setGate] = useState<SignInGateState>({ mustSignInOnline: false, isWaiting: false });
  const [tries, setTries] = useState(0);
  const onGate = useCallback((next: SignInGateState) => setGate(next), []);

  useEffect(() => {
    let isCurrent = true;
    void client.call('session.users', {}).then((result) => {
      if (!isCurrent) return;
      if (!result.ok) return setUsers({ kind: 'failed', message: result.error.message });
      setUsers({ kind: 'loaded', users: result.value.users, isOnlineConfigured: result.value.isOnlineSignInConfigured });
      const only = result.value.users.length === 1 ? result.value.users[0] : undefined;
      if (only) setUserId(only.userId);
    });
    return () => {
      isCurrent = false;
    };
  }, [client, attempt]);

  // Focus the h1 whenever this screen shows, also when the online half is cancelled or its ticket
  // was refused, so the change (and the notice under the heading) is announced.
  const isShowingSignIn = ticket === null;
  useEffect(() => {
    if (isShowingSignIn) headingRef.current?.focus();
  }, [isShowingSignIn]);

  // Desktop shell: the system browser came back to the app's loopback listener.
  useEffect(() => client.onEvent((event) => event.name === 'session.onlineReady' && setTicket(event.payload.ticket)), [client]);
  const onCancelOnline = useCallback((reason: string | null) => {
    setTicket(null);
    setNotice(reason);
    setAttempt((n) => n + 1);
  }, []);

  async function startOnline() {
    setIsStartingOnline(true);
    const result = await client.call('session.onlineBegin', {});
    if (!result.ok) {
      setIsStartingOnline(false);
      return setErrors([{ text: result.error.message, fieldId: 'online-start' }]);
    }
    // The identity provider's page, in this tab (web shell) or the system browser (desktop shell).
    window.location.assign(result.value.authorizationUrl);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (gate.mustSignInOnline) return void startOnline();
    const found: ErrorItem[] = [];
    if (!userId) found.push({ text: 'Select who you are', fieldId: 'user-0' });
    if (!/^\d{4,}$/.test(pin)) found.push({ text: 'Enter your PIN (at least 4 digits)', fieldId: 'pin' });
    setErrors(found);
    if (found.length > 0) return;
    setIsSubmitting(true);
    const result = await client.call('session.signIn', { userId, pin });
    setIsSubmitting(false);
    setPin('');
    setTries((n) => n + 1);
    if (result.ok) return onSignedIn(result.value.user);
    setErrors([{ text: result.error.message, fieldId: 'pin' }]);
  }

  const fieldError = (fieldId: string) => errors.find((e) => e.fieldId === fieldId)?.text;
  const userError = fieldError('user-0');
  const pinError = fieldError('pin');
  if (ticket) return <OnlineSignInScreen ticket={ticket} onSignedIn={onSignedIn} onCancel={onCancelOnline} />;
  const isOnlineConfigured = users.kind === 'loaded' && users.isOnlineConfigured;
  const isNobodyEnrolled = users.kind === 'loaded' && users.users.length === 0;
  // One way to start online sign-in per screen: when the gate already turns "Sign in" into it, no second button.
  const onlineSection =
    isOnlineConfigured && !(gate.mustSignInOnline && !isNobodyEnrolled) ? (
      <section aria-labelledby="online-heading" className="app-online-sign-in">
        <h2 className="nhsuk-heading-m" id="online-heading">
          {isNobodyEnrolled ? 'Sign in for the first time' : 'New to this device, or asked to sign in online?'}
        </h2>
        <p>
          Sign in online with your NHS Care Identity. You need signal. {isNobodyEnrolled ? 'Then' : 'The first time, you then'} choose a PIN that unlocks
          OnScene on this device when there is no signal.
        </p>
        <button
          type="button"
          id="online-start"
          className={`nhsuk-button app-button-wide${isNobodyEnrolled ? '' : ' nhsuk-button--secondary'}`}
          disabled={isStartingOnline}
          onClick={() => void startOnline()}
        >
          {isStartingOnline ? 'Opening the sign-in service…' : 'Sign in online'}
        </button>
      </section>
    ) : null;

  return (
    <>
      {errors.length > 0 ? <ErrorSummary key={errors.map((e) => e.text).join('|')} errors={errors} /> : null}
      <h1 className="nhsuk-heading-l app-screen-heading" ref={headingRef} tabIndex={-1}>
        Sign in to OnScene
      </h1>
      {notice ? (
        <div className="nhsuk-inset-text" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      {users.kind === 'loading' ? <p role="status">Loading crew list…</p> : null}
      {users.kind === 'failed' ? (
        <div className="nhsuk-error-summary" role="alert">
          <h2 className="nhsuk-error-summary__heading">Cannot load the crew list</h2>
          <p className="app-error-text">{users.message}</p>
          <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      ) : null}
      {isNobodyEnrolled ? (
        <>
          <p className="nhsuk-body-l">Nobody has signed in on this device yet.</p>
          {/* Still asked: a wiped or unrecoverable device says so before anyone starts again. */}
          <SignInLockNotice userId="" refreshKey={tries} onGate={onGate} isNotEnrolledQuiet />
          {isOnlineConfigured ? null : <p>Online sign-in is not set up on this device, so nobody can sign in yet. Ask your IT team.</p>}
        </>
      ) : null}
      {users.kind === 'loaded' && !isNobodyEnrolled ? (
        <form noValidate onSubmit={(event) => void submit(event)}>
          <div className={`nhsuk-form-group${userError ? ' nhsuk-form-group--error' : ''}`}>
            <fieldset className="nhsuk-fieldset" aria-describedby={userError ? 'user-error' : undefined}>
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">Who are you?</legend>
              {userError ? (
                <span className="nhsuk-error-message" id="user-error">
                  <span className="nhsuk-u-visually-hidden">Error: </span>
                  {userError}
                </span>
              ) : null}
              <div className="nhsuk-radios">
                {users.users.map((user, index) => (
                  <div className="nhsuk-radios__item" key={user.userId}>
                    <input
                      className="nhsuk-radios__input"
                      id={`user-${index}`}
                      name="user"
                      type="radio"
                      value={user.userId}
                      checked={userId === user.userId}
                      onChange={() => setUserId(user.userId)}
                      aria-describedby={`user-${index}-hint`}
                    />
                    <label className="nhsuk-label nhsuk-radios__label" htmlFor={`user-${index}`}>
                      {user.displayName}
                    </label>
                    <div className="nhsuk-hint nhsuk-radios__hint" id={`user-${index}-hint`}>
                      {roleLabel(user.role)}
                      {user.vehicle ? ` · Vehicle ${user.vehicle}` : ''}
                    </div>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
          <PinField id="pin" value={pin} error={pinError} onChange={setPin} />
          <SignInLockNotice userId={userId} refreshKey={tries} onGate={onGate} />
          <button type="submit" id={gate.mustSignInOnline ? 'online-start' : undefined} className="nhsuk-button app-button-wide" disabled={isSubmitting || gate.isWaiting || isStartingOnline}>
            {isSubmitting ? 'Signing in…' : gate.mustSignInOnline ? 'Sign in online' : 'Sign in'}
          </button>
        </form>
      ) : null}
      {onlineSection}
    </>
  );
}
