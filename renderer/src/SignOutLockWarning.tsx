import { type PendingWorkView } from '../../contract';
import { useFocusOnMount } from './hooks';

type Props = Readonly<{ pending: PendingWorkView; onSignOut: () => void; onStay: () => void }>;

/** Signing out with unsynced work: say what stays and that it still uploads under this user's name (issue #4). */
export function SignOutLockWarning({ pending, onSignOut, onStay }: Props) {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const parts = [
    pending.unsyncedRecords > 0 ? `${pending.unsyncedRecords} record${pending.unsyncedRecords === 1 ? '' : 's'} you made` : null,
    pending.unsentAudit > 0 ? `${pending.unsentAudit} audit entr${pending.unsentAudit === 1 ? 'y' : 'ies'}` : null,
  ].filter((p): p is string => p !== null);
  return (
    <div className="nhsuk-warning-callout">
      <h1 className="nhsuk-warning-callout__label app-screen-heading" ref={headingRef} tabIndex={-1}>
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>
          You have work that has not reached the central record yet
        </span>
      </h1>
      <p>{parts.join(' and ')} will stay on this laptop and upload under your name when there is signal, even after you sign out. Nothing is deleted.</p>
      <button type="button" className="nhsuk-button app-button-wide" onClick={onSignOut}>
        Sign out and keep my work on this laptop
      </button>{' '}
      <button type="button" className="nhsuk-button nhsuk-button--secondary app-button-wide" onClick={onStay}>
        Stay signed in
      </button>
    </div>
  );
}
