import { type ResuscitationStatus, type ResuscitationView } from '../../contract';
import { useRecordClock } from './RecordClock';
import { RelatedRecords, decisionRows } from './RecordResusDetails';
import { isStale, staleReason } from './recordFreshness';
import { saysTheSame } from './textCompare';
import { formatAbsoluteTime, formatRelativeTime } from './timeFormat';

/**
 * Fixed headlines so the same decision always reads the same way, whatever text the source sent.
 * Wording follows the DNACPR form and the ReSPECT form ("CPR attempts (not) recommended").
 */
const HEADLINES: Readonly<Record<ResuscitationStatus, string>> = {
  dnacpr: 'DNACPR — do not attempt CPR',
  'respect-not-for-cpr': 'ReSPECT — CPR attempts NOT recommended',
  'respect-for-cpr': 'ReSPECT — CPR attempts recommended',
  'none-recorded': 'No resuscitation decision recorded',
  'not-yet-confirmed': 'Resuscitation decision not yet confirmed — check other sources',
  unreadable: 'A resuscitation record could not be read — check other sources',
  conflicting: 'Both a for-CPR and a not-for-CPR decision are recorded — check the paper form',
};
/** A for-CPR decision that is not on a ReSPECT form must not be called one. */
const FOR_CPR_OTHER_FORM = 'For CPR — attempt resuscitation';
/** Beside an end-of-life plan or advance decision, "none" is never the headline. */
const RELATED_HEADLINE = 'No DNACPR or ReSPECT decision found — but an end-of-life plan or advance decision is recorded';

/**
 * Why there is no single decision to show. Each non-decision says exactly what is known, so
 * "not yet fetched" or "could not be read" never reads as a confirmed "none recorded".
 */
const EXPLANATIONS: Readonly<Partial<Record<ResuscitationStatus, string>>> = {
  'none-recorded': 'The shared care record has no DNACPR or ReSPECT form for this patient. Check for a paper form at the scene.',
  'not-yet-confirmed': 'OnScene has not yet fetched this patient’s resuscitation decisions from the central record. Ask control or check for a paper form at the scene.',
  unreadable: 'A DNACPR or ReSPECT record for this patient could not be read or is not shown on this device. Ask control or check for a paper form at the scene.',
  conflicting: 'The shared care record holds both a decision for CPR and a decision not for CPR for this patient. Check the paper form at the scene.',
};

const VARIANTS: Readonly<Record<ResuscitationStatus, string>> = {
  dnacpr: 'app-resus--do-not',
  'respect-not-for-cpr': 'app-resus--do-not',
  'respect-for-cpr': 'app-resus--for-cpr',
  'none-recorded': 'app-resus--none',
  // Deliberately not a decision's colours: none of these is a decision.
  'not-yet-confirmed': 'app-resus--none',
  unreadable: 'app-resus--none',
  conflicting: 'app-resus--none',
};

const DECISIONS: ReadonlySet<ResuscitationStatus> = new Set(['dnacpr', 'respect-not-for-cpr', 'respect-for-cpr']);

export const resuscitationHeadline = (status: ResuscitationStatus): string => HEADLINES[status];

/** The panel's headline: fixed per status, never "none" beside a related record. */
export function panelHeadline(view: ResuscitationView): string {
  if (view.status === 'respect-for-cpr' && view.decisionForm !== null && view.decisionForm !== 'respect') return FOR_CPR_OTHER_FORM;
  if ((view.status === 'none-recorded' || view.status === 'not-yet-confirmed') && view.related.length > 0) return RELATED_HEADLINE;
  return HEADLINES[view.status];
}

type Props = Readonly<{ resuscitation: ResuscitationView; recordSyncedAt: string | null }>;

/**
 * The first thing on the record: at a cardiac arrest the crew has seconds to find it. A decision
 * is a heavy red (or green) panel; "none recorded" is deliberately plain so it never looks like one.
 * "May have changed" is decided here from the clock, so it appears by itself on a screen left open.
 */
export function ResuscitationPanel({ resuscitation, recordSyncedAt }: Props) {
  const { now, staleAfterMs, connection } = useRecordClock();
  const { status, note, related, uncheckedSources } = resuscitation;
  const headline = panelHeadline(resuscitation);
  const isDecision = DECISIONS.has(status);
  const sourceHeadline = resuscitation.headline.trim();
  const differs = sourceHeadline !== '' && !saysTheSame(sourceHeadline, headline) && !saysTheSame(sourceHeadline, HEADLINES[status]);
  const showSourceHeadline = isDecision && differs;
  // A non-decision's own words say which of several reasons applies (unreadable, withheld, no direction).
  const reason = !isDecision && differs && related.length === 0 ? sourceHeadline : null;
  // "None recorded" has no resource of its own: main dates it by the last complete Consent pull;
  // an older main may not, so the record's last sync is the fallback. The other non-decisions were
  // never confirmed, and must not borrow the record's time.
  const confirmedAt = resuscitation.confirmedAt ?? (status === 'none-recorded' ? recordSyncedAt : null);
  const canBeStale = isDecision || status === 'none-recorded';
  const stale = canBeStale && isStale(confirmedAt, now, staleAfterMs);
  return (
    <section className={`app-resus ${VARIANTS[status]}`} aria-labelledby="resus-label" aria-describedby="resus-headline">
      <p className="app-resus__label" id="resus-label">
        Resuscitation decision
      </p>
      <h2 className="app-resus__headline" id="resus-headline">
        {headline}
      </h2>
      {reason ? <p className="app-resus__explain app-resus__reason">{reason}.</p> : null}
      {isDecision ? null : <p className="app-resus__explain">{related.length && headline === RELATED_HEADLINE ? 'Read what it says below before deciding. Check for a paper form at the scene.' : EXPLANATIONS[status]}</p>}
      {stale ? (
        <p className="app-resus__stale" role="note">
          <strong>May have changed</strong> — {staleReason(confirmedAt, now, connection)}. Check for a paper form at the scene.
        </p>
      ) : null}
      {status === 'none-recorded' && uncheckedSources.length ? (
        <p className="app-resus__explain">Not yet downloaded to this device: {uncheckedSources.join(', ')}. A plan recorded there would not show here yet.</p>
      ) : null}
      {isDecision ? null : <RelatedRecords related={related} isDecision={false} />}
      <dl className="app-resus__details">
        {showSourceHeadline ? (
          <div>
            <dt>Recorded as</dt>
            <dd>{sourceHeadline}</dd>
          </div>
        ) : null}
        {isDecision
          ? decisionRows(resuscitation).map(([label, value], index) => (
              <div key={`${label}-${index}`}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))
          : null}
        {note ? (
          <div>
            <dt>Note</dt>
            <dd>{note}</dd>
          </div>
        ) : null}
        <div>
          <dt>Last confirmed</dt>
          <dd>{confirmedAt ? `${formatRelativeTime(confirmedAt, now)} (${formatAbsoluteTime(confirmedAt)})` : 'Not yet confirmed by the central record'}</dd>
        </div>
      </dl>
      {isDecision ? <RelatedRecords related={related} isDecision /> : null}
    </section>
  );
}
