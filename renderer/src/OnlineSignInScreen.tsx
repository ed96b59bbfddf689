import { type FormEvent, useEffect, useRef, useState } from 'react';
import { type UserSummary } from '../../contract';
import { roleLabel } from './AppHeader';
import { useClient } from './ClientContext';
import { ErrorSummary, type ErrorItem } from './ErrorSummary';
import { PinField } from './PinField';

type Props = Readonly<{
  ticket: string;
  onSignedIn: (user: UserSummary) => void;
  /** Back to the sign-in screen, with a reason when the ticket could not be used. */
  onCancel: (notice: string | null) => void;
}>;

type Who = Readonly<{ user: UserSummary; isEnrolled: boolean; minPinLength: number }>;

/**
 * The second half of online sign-in: the identity provider has said who this is and the central
 * record their role. An enrolled user enters their PIN; a new one chooses it (twice), because it
 * is what will unlock their copy of the data offline.
 */
export function OnlineSignInScreen({ ticket, onSignedIn, onCancel }: Props) {
  const client = useClient();
  const headingRef = useRef<HTMLHeadingElement | null>(null);
  const [who, setWho] = useState<Who | null>(null);
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<readonly ErrorItem[]>([]);
  const [isSubmitting, setIsSubmitting] = useState(false);

  useEffect(() => {
    let isCurrent = true;
    void client.call('session.onlineTicket', { ticket }).then((result) => {
      if (!isCurrent) return;
      if (result.ok) setWho(result.value);
      else onCancel(result.error.message);
    });
    return () => {
      isCurrent = false;
    };
  }, [client, ticket, onCancel]);

  // The heading exists only once the ticket is read: focus it then, so the new screen is announced
  // and Tab starts at its top (the browser has just come back from the sign-in service).
  const isReady = who !== null;
  useEffect(() => {
    if (isReady) headingRef.current?.focus();
  }, [isReady]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!who) return;
    const found: ErrorItem[] = [];
    const rule = new RegExp(`^\\d{${who.isEnrolled ? 4 : who.minPinLength},}$`);
    if (!rule.test(pin)) found.push({ text: who.isEnrolled ? 'Enter your PIN (numbers only)' : `Choose a PIN of at least ${who.minPinLength} digits (numbers only)`, fieldId: 'online-pin' });
    else if (!who.isEnrolled && pin !== again) found.push({ text: 'The two PINs are not the same. Enter the same PIN twice', fieldId: 'online-pin-again' });
    setErrors(found);
    if (found.length > 0) return;
    setIsSubmitting(true);
    const result = await client.call('session.onlineComplete', { ticket, pin });
    setIsSubmitting(false);
    setPin('');
    setAgain('');
    if (result.ok) return onSignedIn(result.value.user);
    if (result.error.code === 'unauthenticated') return onCancel(result.error.message);
    setErrors([{ text: result.error.message, fieldId: 'online-pin' }]);
  }

  const fieldError = (fieldId: string) => errors.find((e) => e.fieldId === fieldId)?.text;
  if (!who) return <p role="status">Checking your sign-in…</p>;
  return (
    <>
      {errors.length > 0 ? <ErrorSummary key={errors.map((e) => e.text).join('|')} errors={errors} /> : null}
      <h1 className="nhsuk-heading-l app-screen-heading" ref={headingRef} tabIndex={-1}>
        {who.isEnrolled ? 'Enter your PIN' : 'Choose your OnScene PIN'}
      </h1>
      <p>
        Signed in as <strong>{who.user.displayName}</strong>, {roleLabel(who.user.role)}
        {who.user.vehicle ? ` · Vehicle ${who.user.vehicle}` : ''}.
      </p>
      {who.isEnrolled ? null : (
        <p>This is your first sign-in on this device. The PIN you choose unlocks OnScene here when there is no signal. Do not use a PIN you use anywhere else.</p>
      )}
      <form noValidate onSubmit={(event) => void submit(event)}>
        <PinField
          id="online-pin"
          label={who.isEnrolled ? 'PIN' : 'New PIN'}
          hint={who.isEnrolled ? undefined : `At least ${who.minPinLength} digits`}
          value={pin}
          error={fieldError('online-pin')}
          onChange={setPin}
        />
        {who.isEnrolled ? null : <PinField id="online-pin-again" label="New PIN again" value={again} error={fieldError('online-pin-again')} onChange={setAgain} />}
        <div className="nhsuk-button-group">
          <button type="submit" className="nhsuk-button app-button-wide" disabled={isSubmitting}>
            {isSubmitting ? 'Signing in…' : who.isEnrolled ? 'Sign in' : 'Set PIN and sign in'}
          </button>
          <button type="button" className="nhsuk-button nhsuk-button--secondary app-button-wide" onClick={() => onCancel(null)}>
            Cancel
          </button>
        </div>
      </form>
    </>
  );
}
