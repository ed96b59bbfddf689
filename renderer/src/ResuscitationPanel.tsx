import { type ResuscitationStatus, type ResuscitationView } from '../../contract';
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

/**
 * Why there is no single decision to show. Each non-decision says exactly what is known, so
 * "not yet fetched" or "could not be read" never reads as a confirmed "none recorded".
 */
const EXPLANATIONS: Readonly<Partial<Record<ResuscitationStatus, string>>> = {
  'none-recorded': 'The shared care record has no DNACPR or ReSPECT form for this patient. Check for a paper form at the scene.',
  'not-yet-confirmed': 'OnScene has not yet fetched this patient’s resuscitation decisions from the central record. Ask control or check for a paper form at the scene.',
  unreadable: 'A DNACPR or ReSPECT record for this patient arrived in a form OnScene could not read. Ask control or check for a paper form at the scene.',
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

type Props = Readonly<{ resuscitation: ResuscitationView; recordSyncedAt: string | null; now: number }>;

/**
 * The first thing on the record: at a cardiac arrest the crew has seconds to find it. A decision
 * is a heavy red (or green) panel; "none recorded" is deliberately plain so it never looks like one.
 */
export function ResuscitationPanel({ resuscitation, recordSyncedAt, now }: Props) {
  const { status, decidedAt, decidedBy, note, syncedAt, isPossiblyStale } = resuscitation;
  const headline = HEADLINES[status];
  const isDecision = DECISIONS.has(status);
  const sourceHeadline = resuscitation.headline.trim();
  const showSourceHeadline = sourceHeadline !== '' && !saysTheSame(sourceHeadline, headline);
  // "None recorded" has no resource of its own: main dates it by the last complete Consent pull;
  // an older main may not, so the record's last sync is the fallback. The other non-decisions were
  // never confirmed, and must not borrow the record's time.
  const confirmedAt = syncedAt ?? (status === 'none-recorded' ? recordSyncedAt : null);
  return (
    <section className={`app-resus ${VARIANTS[status]}`} aria-labelledby="resus-label" aria-describedby="resus-headline">
      <p className="app-resus__label" id="resus-label">
        Resuscitation decision
      </p>
      <h2 className="app-resus__headline" id="resus-headline">
        {headline}
      </h2>
      {isDecision ? null : <p className="app-resus__explain">{EXPLANATIONS[status]}</p>}
      {isPossiblyStale ? (
        <p className="app-resus__stale" role="note">
          <strong>May have changed</strong> — {confirmedAt ? `last confirmed by the central record ${formatRelativeTime(confirmedAt, now)}` : 'not confirmed by the central record'}. Check for a paper form at the scene.
        </p>
      ) : null}
      <dl className="app-resus__details">
        {showSourceHeadline ? (
          <div>
            <dt>Recorded as</dt>
            <dd>{sourceHeadline}</dd>
          </div>
        ) : null}
        {isDecision ? (
          <div>
            <dt>Decided</dt>
            <dd>
              {decidedBy ? `by ${decidedBy}` : 'by an unknown person'}
              {decidedAt ? ` on ${formatAbsoluteTime(decidedAt)}` : ', date not recorded'}
            </dd>
          </div>
        ) : null}
        {note ? (
          <div>
            <dt>Note</dt>
            <dd>{note}</dd>
          </div>
        ) : null}
        <div>
          <dt>Last synced</dt>
          <dd>{confirmedAt ? `${formatRelativeTime(confirmedAt, now)} (${formatAbsoluteTime(confirmedAt)})` : 'Not yet synced from the central record'}</dd>
        </div>
      </dl>
    </section>
  );
}
