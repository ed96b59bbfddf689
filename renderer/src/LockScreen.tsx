import { useState, type FormEvent } from 'react';
import { type UserSummary } from '../../contract';
import { useClient } from './ClientContext';
import { ErrorSummary, type ErrorItem } from './ErrorSummary';
import { useFocusOnMount } from './hooks';
import { PinField } from './PinField';

type Props = Readonly<{
  user: UserSummary;
  onUnlocked: (user: UserSummary) => void;
  /** "Not you?": ends the locked session (its work stays on the device) and goes to sign-in. */
  onSwitchUser: () => void;
}>;

/**
 * Shown instead of every screen while the session is locked. It holds no patient data: the
 * screens that had it are unmounted, and main refuses their methods until the PIN is entered.
 */
export function LockScreen({ user, onUnlocked, onSwitchUser }: Props) {
  const client = useClient();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [pin, setPin] = useState('');
  const [errors, setErrors] = useState<readonly ErrorItem[]>([]);
  const [isSubmitting, setIsSubmitting] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!/^\d{4,}$/.test(pin)) return setErrors([{ text: 'Enter your PIN (at least 4 digits)', fieldId: 'unlock-pin' }]);
    setIsSubmitting(true);
    const result = await client.call('session.unlock', { pin });
    setIsSubmitting(false);
    setPin('');
    if (result.ok) return onUnlocked(result.value.user);
    if (result.error.code === 'unauthenticated') return onSwitchUser();
    setErrors([{ text: result.error.message, fieldId: 'unlock-pin' }]);
  }

  const pinError = errors[0]?.text;
  return (
    <>
      {errors.length > 0 ? <ErrorSummary key={errors.map((e) => e.text).join('|')} errors={errors} /> : null}
      <h1 className="nhsuk-heading-l app-screen-heading" ref={headingRef} tabIndex={-1}>
        OnScene is locked
      </h1>
      <p>
        Locked for <strong>{user.displayName}</strong>. Patient information is hidden until you enter your PIN.
      </p>
      <form noValidate onSubmit={(event) => void submit(event)}>
        <PinField id="unlock-pin" value={pin} error={pinError} onChange={setPin} />
        <button type="submit" className="nhsuk-button app-button-wide" disabled={isSubmitting}>
          {isSubmitting ? 'Unlocking…' : 'Unlock'}
        </button>
      </form>
      <p>
        <button type="button" className="nhsuk-button nhsuk-button--secondary app-button-wide" onClick={onSwitchUser}>
          Not {user.displayName}? Sign in as someone else
        </button>
      </p>
    </>
  );
}
