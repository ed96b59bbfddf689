import { useCallback, useEffect, useState } from 'react';
import { type IncidentSummary, type ResultOf } from '../../contract';
import { useClient } from './ClientContext';
import { ErrorSummary } from './ErrorSummary';
import { IncidentCard } from './IncidentCard';
import { OfflineBanner } from './OfflineBanner';
import { useFocusOnMount } from './hooks';
import { useTriageNav } from './triageNavigation';

type Props = Readonly<{
  now: number;
  /**
   * Changes when connectivity or the last successful sync changes. A failed sync changes no
   * incident (so no `incidents.changed`), yet the list must now say it is offline.
   */
  syncKey: string;
  onOpenRecord: (incident: IncidentSummary) => void;
}>;

type ListState = { kind: 'loading' } | { kind: 'loaded'; list: ResultOf<'incidents.list'> } | { kind: 'failed'; message: string };

/** The crew's assigned incidents; refreshed whenever main says incidents changed. */
export function IncidentsScreen({ now, syncKey, onOpenRecord }: Props) {
  const client = useClient();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [state, setState] = useState<ListState>({ kind: 'loading' });
  const triageNav = useTriageNav();

  const load = useCallback(async () => {
    const result = await client.call('incidents.list', {});
    setState(result.ok ? { kind: 'loaded', list: result.value } : { kind: 'failed', message: result.error.message });
  }, [client]);

  useEffect(
    () =>
      client.onEvent((event) => {
        if (event.name === 'incidents.changed') void load();
      }),
    [client, load],
  );

  useEffect(() => {
    void load();
  }, [load, syncKey]);

  return (
    <>
      <h1 className="nhsuk-heading-l app-screen-heading" ref={headingRef} tabIndex={-1}>
        Your incidents
      </h1>
      {state.kind === 'loading' ? <p role="status">Loading incidents…</p> : null}
      {state.kind === 'failed' ? (
        <>
          <ErrorSummary title="Cannot show your incidents" errors={[{ text: state.message }]} />
          <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => void load()}>
            Try again
          </button>
        </>
      ) : null}
      {state.kind === 'loaded' ? (
        <>
          {state.list.isOffline ? <OfflineBanner syncedAt={state.list.syncedAt} now={now} /> : null}
          {state.list.incidents.length === 0 ? (
            <p className="nhsuk-body-l">No incidents are assigned to you or your vehicle right now.</p>
          ) : (
            <ul className="nhsuk-list app-incident-list" aria-label="Assigned incidents">
              {state.list.incidents.map((incident) => (
                <IncidentCard key={incident.incidentId} incident={incident} now={now} onOpen={onOpenRecord} />
              ))}
            </ul>
          )}
        </>
      ) : null}
      <button type="button" className="nhsuk-button nhsuk-button--secondary app-button-wide" onClick={triageNav.startUnidentified}>
        Triage an unidentified patient
      </button>
    </>
  );
}
