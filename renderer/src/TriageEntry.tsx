import { useEffect, useState } from 'react';
import { type TriageSummary } from '../../contract';
import { useClient } from './ClientContext';
import { useTriageNav, type TriageOrigin } from './triageNavigation';
import { shortTime } from './triageText';

type Props = Readonly<{ target: NonNullable<TriageOrigin> }>;

function summaryText(t: TriageSummary): string {
  const parts = [
    `Started ${shortTime(t.startedAt)} by ${t.startedBy.name}`,
    t.state === 'finished' ? 'finished' : 'in progress',
    `${t.recordedSets} ${t.recordedSets === 1 ? 'set' : 'sets'} recorded`,
    t.latestNews2 === null ? 'no NEWS2 yet' : `latest NEWS2 ${t.latestNews2}`,
    t.waitingToUpload > 0 ? `${t.waitingToUpload} waiting to upload` : 'nothing waiting to upload',
  ];
  return parts.join(' · ');
}

/**
 * The record screen's way into triage (issue #12): start one, or carry on with one begun on this
 * device. Compact, so the resuscitation decision below stays above the fold.
 */
export function TriageEntry({ target }: Props) {
  const client = useClient();
  const nav = useTriageNav();
  // null until this device's episodes are known: offering "Start triage" before then invites a
  // second episode for a patient already being triaged.
  const [triages, setTriages] = useState<readonly TriageSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isStarting, setIsStarting] = useState(false);

  useEffect(() => {
    setTriages(null);
    void client.call('triage.list', { patientId: target.patientId }).then((r) => (r.ok ? setTriages(r.value.triages) : setError(r.error.message)));
  }, [client, target.patientId]);

  const hasOpen = triages?.some((t) => t.state === 'in-progress') ?? false;

  async function start() {
    if (isStarting) return;
    setIsStarting(true);
    const result = await client.call('triage.start', { patientId: target.patientId, incidentId: target.incidentId });
    setIsStarting(false);
    if (result.ok) nav.openEpisode(result.value.triageId, target);
    else setError(result.error.message);
  }

  return (
    <section className="app-triage-entry" aria-labelledby="triage-entry-heading">
      <h2 className="nhsuk-heading-s app-triage-entry__heading" id="triage-entry-heading">
        Triage
      </h2>
      {error ? (
        <p className="app-error-text" role="alert">
          {error}
        </p>
      ) : null}
      {triages === null && !error ? <p className="app-triage-entry__summary">Checking this device for triage already started…</p> : null}
      {triages !== null && triages.length > 0 ? (
        <ul className="nhsuk-list app-triage-entry__list">
          {[...triages].reverse().map((t) => (
            <li key={t.triageId} className="app-triage-entry__item">
              <button type="button" className={`nhsuk-button app-button-inline${t.state === 'finished' ? ' nhsuk-button--secondary' : ''}`} onClick={() => nav.openEpisode(t.triageId, target)}>
                {t.state === 'finished' ? 'Open triage' : 'Continue triage'}
                <span className="nhsuk-u-visually-hidden"> started at {shortTime(t.startedAt)}</span>
              </button>
              <span className="app-triage-entry__summary">{summaryText(t)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {triages !== null || error ? (
        <button type="button" className={`nhsuk-button app-button-inline${hasOpen ? ' nhsuk-button--secondary' : ''}`} onClick={() => void start()}>
          {triages !== null && triages.length > 0 ? 'Start a new triage' : 'Start triage'}
        </button>
      ) : null}
    </section>
  );
}
