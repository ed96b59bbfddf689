import { type ActiveCallView, type UserSummary } from '../../contract';
import { type Theme } from './theme';

const ROLE_LABELS: Readonly<Record<UserSummary['role'], string>> = {
  paramedic: 'Paramedic',
  'call-handler': 'Call handler',
  clinician: 'Clinician',
  administrator: 'Administrator',
};

export const roleLabel = (role: UserSummary['role']): string => ROLE_LABELS[role];

/** The NHS logo, inline so nothing is fetched over the network. */
function NhsLogo() {
  return (
    <svg className="nhsuk-header__logo" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80" height="40" width="100" focusable="false" role="img" aria-label="NHS">
      <title>NHS</title>
      <path
        fill="currentcolor"
        d="M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z"
      />
    </svg>
  );
}

type Props = Readonly<{
  user: UserSummary | null;
  theme: Theme;
  onToggleTheme: () => void;
  onSignOut: () => void;
  /** Issue #13: the call or incident being worked, with "End call". */
  call?: ActiveCallView | null;
  onEndCall?: () => void;
  /** Issue #14: the sync detail screen (uploads waiting, problems, removals). */
  onSyncDetail?: () => void;
}>;

/** NHS header: service name, who is signed in and on which vehicle, night mode, sign out. */
export function AppHeader({ user, theme, onToggleTheme, onSignOut, call = null, onEndCall, onSyncDetail }: Props) {
  return (
    <header className="nhsuk-header app-header" role="banner">
      <div className="nhsuk-header__container nhsuk-width-container app-header__container">
        <div className="nhsuk-header__service app-header__service">
          <NhsLogo />
          <span className="nhsuk-header__service-name app-header__service-name">OnScene</span>
        </div>
        <div className="app-header__tools">
          {user ? (
            <p className="app-header__user">
              <span className="nhsuk-u-visually-hidden">Signed in as </span>
              <strong>{user.displayName}</strong>
              <span className="app-header__meta">
                {roleLabel(user.role)}
                {user.vehicle ? ` · Vehicle ${user.vehicle}` : ' · No vehicle'}
              </span>
            </p>
          ) : null}
          {user && call ? (
            <p className="app-header__user app-header__call">
              <span>{call.kind === 'call' ? 'Call' : 'Incident'} </span>
              <strong>{call.reference}</strong>
            </p>
          ) : null}
          {user && call && onEndCall ? (
            <button type="button" className="app-header__button" onClick={onEndCall}>
              {call.kind === 'call' ? 'End call' : 'Leave incident'}
            </button>
          ) : null}
          {user && onSyncDetail ? (
            <button type="button" className="app-header__button" onClick={onSyncDetail}>
              Uploads and sync
            </button>
          ) : null}
          <button type="button" className="app-header__button" aria-pressed={theme === 'night'} onClick={onToggleTheme}>
            Night mode
            <span className="app-header__state" aria-hidden="true">{theme === 'night' ? ' on' : ' off'}</span>
          </button>
          {user ? (
            <button type="button" className="app-header__button" onClick={onSignOut}>
              Sign out
            </button>
          ) : null}
        </div>
      </div>
    </header>
  );
}
