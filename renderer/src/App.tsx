import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type ActiveCallView, type IncidentSummary, type PendingWorkView, type UserSummary } from '../../contract';
import { CallScreen } from './CallScreen';
import { ConflictReviewScreen } from './ConflictReviewScreen';
import { FindPatientScreen } from './FindPatientScreen';
import { AppHeader } from './AppHeader';
import { BreakGlassScreen } from './BreakGlassScreen';
import { LockScreen } from './LockScreen';
import { SignOutLockWarning } from './SignOutLockWarning';
import { useIdleLock } from './useIdleLock';
import { type ContractClient } from './client';
import { ClientContext } from './ClientContext';
import { IncidentsScreen } from './IncidentsScreen';
import { RecordScreen, type RecordTarget } from './RecordScreen';
import { SignInScreen } from './SignInScreen';
import { SyncDetailScreen } from './SyncDetailScreen';
import { SyncStrip } from './SyncStrip';
import { TriageRouteScreen } from './TriageScreen';
import { TriageNavContext, type TriageNav, type TriageRoute } from './triageNavigation';
import { type Theme } from './theme';
import { useNow } from './hooks';
import { useSyncStatus } from './useSyncStatus';
import { UpdateNotice } from './UpdateNotice';

type Screen =
  | Readonly<{ name: 'signIn' }>
  | Readonly<{ name: 'incidents' }>
  | Readonly<{ name: 'record'; target: RecordTarget }>
  | Readonly<{ name: 'find' }>
  | Readonly<{ name: 'call' }>
  | Readonly<{ name: 'search' }>
  | Readonly<{ name: 'triage'; route: TriageRoute }>
  | Readonly<{ name: 'signOutWarning'; pending: PendingWorkView }>
  // Issue #14: the sync detail (back to where it was opened from), and the conflict review (its screen is the lead's).
  | Readonly<{ name: 'syncDetail'; back: Screen }>
  | Readonly<{ name: 'conflicts'; back: Screen }>;

type Props = Readonly<{
  client: ContractClient;
  initialTheme: Theme;
  onThemeChange: (theme: Theme) => void;
}>;

const SESSION_ENDED = 'Your session has ended. Sign in again to carry on.';

/** Issue #13: 111 call handlers and clinical advisers work from calls ("New call"), never a vehicle's incident list. */
const isCallRole = (user: UserSummary | null) => user?.role === 'call-handler' || user?.role === 'clinician';
const homeOf = (user: UserSummary | null): Screen => (isCallRole(user) ? { name: 'call' } : { name: 'incidents' });

/** The whole UI: three screens, one header, one sync strip. State lives here, not in globals. */
export function App({ client, initialTheme, onThemeChange }: Props) {
  const [user, setUser] = useState<UserSummary | null>(null);
  const [screen, setScreen] = useState<Screen>({ name: 'signIn' });
  const [call, setCall] = useState<ActiveCallView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const now = useNow();
  // Issue #4: locked means every patient screen is unmounted; only the lock screen renders.
  const [isLocked, setIsLocked] = useState(false);
  const [idleLockMs, setIdleLockMs] = useState<number | null>(null);
  const sync = useSyncStatus(client, user !== null && !isLocked);
  const syncKey = sync.status ? `${String(sync.status.isOnline)}|${sync.status.state === 'offline'}|${sync.status.lastSuccessAt ?? ''}` : '';

  const returnToSignIn = useCallback((message: string | null) => {
    setUser(null);
    setCall(null);
    setIsLocked(false);
    setNotice(message);
    setScreen({ name: 'signIn' });
  }, []);

  useEffect(() => client.onSessionLost(() => returnToSignIn(SESSION_ENDED)), [client, returnToSignIn]);

  const userRef = useRef<UserSummary | null>(null);
  userRef.current = user;
  const lockNow = useCallback(() => {
    setIsLocked(true);
    setScreen(homeOf(userRef.current));
  }, []);
  useEffect(() => client.onLocked(lockNow), [client, lockNow]);
  // Issue #16: the computer locked or is suspending; main has locked every session.
  useEffect(() => client.onEvent((event) => event.name === 'app.locked' && lockNow()), [client, lockNow]);
  useEffect(() => {
    void client.call('session.policy', {}).then((r) => r.ok && setIdleLockMs(r.value.idleLockMs));
  }, [client]);
  useIdleLock({
    isActive: user !== null && !isLocked,
    idleLockMs,
    onIdle: () => {
      lockNow();
      void client.call('session.lock', { reason: 'inactivity' });
    },
    onHeartbeat: () => void client.call('session.heartbeat', {}),
  });

  const toggleTheme = () => {
    const next: Theme = theme === 'night' ? 'day' : 'night';
    setTheme(next);
    onThemeChange(next);
  };

  const signOutNow = () => {
    // Whatever main answers, the screen must stop showing patient data now.
    void client.call('session.signOut', {});
    returnToSignIn('You have signed out.');
  };

  // Unsynced work is never lost on sign-out, but the user is told it is still waiting (issue #4).
  const signOut = () => {
    void client.call('session.pendingWork', {}).then((result) => {
      if (result.ok && result.value.unsyncedRecords > 0 && !isLocked) {
        setScreen({ name: 'signOutWarning', pending: result.value });
      } else signOutNow();
    });
  };

  const triageNav = useMemo<TriageNav>(
    () => ({
      openEpisode: (triageId, origin) => setScreen({ name: 'triage', route: { kind: 'episode', triageId, origin } }),
      startUnidentified: () => setScreen({ name: 'triage', route: { kind: 'unidentified' } }),
    }),
    [],
  );

  // "End call": the screen is cleared and main forgets the purpose (a search under it is refused from now on).
  const endCall = () => {
    setCall(null);
    setScreen({ name: 'call' });
    void client.call('calls.end', {});
  };

  const openSyncDetail = () => setScreen((current) => (current.name === 'syncDetail' ? current : { name: 'syncDetail', back: current }));
  const reviewConflicts = () => setScreen((current) => (current.name === 'conflicts' ? current : { name: 'conflicts', back: current }));

  const openRecord = (incident: IncidentSummary) => {
    if (!incident.patient) return;
    const target = { patientId: incident.patient.patientId, incidentId: incident.incidentId, patientName: incident.patient.name };
    setScreen({ name: 'record', target });
  };

  return (
    <ClientContext value={client}><TriageNavContext value={triageNav}>
      <a className="nhsuk-skip-link" href="#maincontent">
        Skip to main content
      </a>
      <AppHeader user={user} theme={theme} onToggleTheme={toggleTheme} onSignOut={signOut} call={isLocked ? null : call} onEndCall={endCall} {...(user && !isLocked && user.role !== 'administrator' ? { onSyncDetail: openSyncDetail } : {})} />
      {user && !isLocked ? (
        <SyncStrip
          status={sync.status}
          callError={sync.callError}
          isRequesting={sync.isRequesting}
          now={now}
          onSyncNow={sync.syncNow}
          {...(user.role === 'administrator' ? {} : { onOpenDetail: openSyncDetail, onReviewConflicts: reviewConflicts })}
        />
      ) : null}
      <div className="nhsuk-width-container">
        <main className="nhsuk-main-wrapper app-main" id="maincontent">
          <UpdateNotice screen={screen.name} isLocked={isLocked} />
          {screen.name === 'signIn' ? (
            <SignInScreen
              notice={notice}
              onSignedIn={(signedIn) => {
                setUser(signedIn);
                setNotice(null);
                setScreen(homeOf(signedIn));
              }}
            />
          ) : null}
          {user && isLocked ? (
            <LockScreen
              user={user}
              onUnlocked={(unlocked) => {
                setUser(unlocked);
                setIsLocked(false);
              }}
              onSwitchUser={signOutNow}
            />
          ) : null}
          {user && !isLocked && (screen.name === 'incidents' || screen.name === 'record' || screen.name === 'triage' || screen.name === 'call' || screen.name === 'search') ? (
            <div className="nhsuk-button-group app-security-tools">
              <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => { lockNow(); void client.call('session.lock', { reason: 'user' }); }}>
                Lock OnScene
              </button>
              {user.role === 'paramedic' ? (
                <>
                  <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => setScreen({ name: 'search' })}>
                    Find a patient
                  </button>
                  <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => setScreen({ name: 'find' })}>
                    Find a patient by NHS number
                  </button>
                </>
              ) : null}
            </div>
          ) : null}
          {isLocked ? null : screen.name === 'find' && user ? <BreakGlassScreen user={user} now={now} onBack={() => setScreen({ name: 'incidents' })} /> : null}
          {!isLocked && screen.name === 'signOutWarning' ? (
            <SignOutLockWarning pending={screen.pending} onSignOut={signOutNow} onStay={() => setScreen(homeOf(user))} />
          ) : null}
          {!isLocked && screen.name === 'call' && user ? <CallScreen key={call?.reference ?? 'new'} user={user} call={call} onCall={setCall} now={now} /> : null}
          {!isLocked && screen.name === 'search' ? <FindPatientScreen now={now} onBack={() => setScreen({ name: 'incidents' })} /> : null}
          {!isLocked && screen.name === 'incidents' ? <IncidentsScreen now={now} syncKey={syncKey} onOpenRecord={openRecord} /> : null}
          {!isLocked && screen.name === 'record' ? (
            <RecordScreen
              key={`${screen.target.incidentId}/${screen.target.patientId}`}
              target={screen.target}
              now={now}
              isSyncOffline={sync.status !== null && (!sync.status.isOnline || sync.status.state === 'offline')}
              lastContactAt={sync.status?.lastSuccessAt ?? null}
              onBack={() => setScreen({ name: 'incidents' })}
              onReviewConflicts={reviewConflicts}
            />
          ) : null}
          {!isLocked && screen.name === 'conflicts' ? <ConflictReviewScreen onBack={() => setScreen(screen.back)} /> : null}
          {!isLocked && screen.name === 'syncDetail' ? <SyncDetailScreen now={now} onBack={() => setScreen(screen.back)} onReviewConflicts={reviewConflicts} /> : null}
          {!isLocked && screen.name === 'triage' ? (
            <TriageRouteScreen key={screen.route.kind === 'episode' ? screen.route.triageId : 'unidentified'} route={screen.route} onBack={(origin) => setScreen(origin ? { name: 'record', target: origin } : { name: 'incidents' })} />
          ) : null}
        </main>
      </div>
    </TriageNavContext></ClientContext>
  );
}
