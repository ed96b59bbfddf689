import { useCallback, useEffect, useState } from 'react';
import { type IncidentSummary, type UserSummary } from '../../contract';
import { AppHeader } from './AppHeader';
import { type ContractClient } from './client';
import { ClientContext } from './ClientContext';
import { IncidentsScreen } from './IncidentsScreen';
import { RecordScreen, type RecordTarget } from './RecordScreen';
import { SignInScreen } from './SignInScreen';
import { SyncStrip } from './SyncStrip';
import { type Theme } from './theme';
import { useNow } from './hooks';
import { useSyncStatus } from './useSyncStatus';

type Screen = Readonly<{ name: 'signIn' }> | Readonly<{ name: 'incidents' }> | Readonly<{ name: 'record'; target: RecordTarget }>;

type Props = Readonly<{
  client: ContractClient;
  initialTheme: Theme;
  onThemeChange: (theme: Theme) => void;
}>;

const SESSION_ENDED = 'Your session has ended. Sign in again to carry on.';

/** The whole UI: three screens, one header, one sync strip. State lives here, not in globals. */
export function App({ client, initialTheme, onThemeChange }: Props) {
  const [user, setUser] = useState<UserSummary | null>(null);
  const [screen, setScreen] = useState<Screen>({ name: 'signIn' });
  const [notice, setNotice] = useState<string | null>(null);
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const now = useNow();
  const sync = useSyncStatus(client, user !== null);
  const syncKey = sync.status ? `${String(sync.status.isOnline)}|${sync.status.state === 'offline'}|${sync.status.lastSuccessAt ?? ''}` : '';

  const returnToSignIn = useCallback((message: string | null) => {
    setUser(null);
    setNotice(message);
    setScreen({ name: 'signIn' });
  }, []);

  useEffect(() => client.onSessionLost(() => returnToSignIn(SESSION_ENDED)), [client, returnToSignIn]);

  const toggleTheme = () => {
    const next: Theme = theme === 'night' ? 'day' : 'night';
    setTheme(next);
    onThemeChange(next);
  };

  const signOut = () => {
    // Whatever main answers, the screen must stop showing patient data now.
    void client.call('session.signOut', {});
    returnToSignIn('You have signed out.');
  };

  const openRecord = (incident: IncidentSummary) => {
    if (!incident.patient) return;
    const target = { patientId: incident.patient.patientId, incidentId: incident.incidentId, patientName: incident.patient.name };
    setScreen({ name: 'record', target });
  };

  return (
    <ClientContext value={client}>
      <a className="nhsuk-skip-link" href="#maincontent">
        Skip to main content
      </a>
      <AppHeader user={user} theme={theme} onToggleTheme={toggleTheme} onSignOut={signOut} />
      {user ? (
        <SyncStrip status={sync.status} callError={sync.callError} isRequesting={sync.isRequesting} now={now} onSyncNow={sync.syncNow} />
      ) : null}
      <div className="nhsuk-width-container">
        <main className="nhsuk-main-wrapper app-main" id="maincontent">
          {screen.name === 'signIn' ? (
            <SignInScreen
              notice={notice}
              onSignedIn={(signedIn) => {
                setUser(signedIn);
                setNotice(null);
                setScreen({ name: 'incidents' });
              }}
            />
          ) : null}
          {screen.name === 'incidents' ? <IncidentsScreen now={now} syncKey={syncKey} onOpenRecord={openRecord} /> : null}
          {screen.name === 'record' ? (
            <RecordScreen
              key={`${screen.target.incidentId}/${screen.target.patientId}`}
              target={screen.target}
              now={now}
              lastSyncedAt={sync.status?.lastSuccessAt ?? null}
              isSyncOffline={sync.status !== null && (!sync.status.isOnline || sync.status.state === 'offline')}
              onBack={() => setScreen({ name: 'incidents' })}
            />
          ) : null}
        </main>
      </div>
    </ClientContext>
  );
}
