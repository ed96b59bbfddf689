import { type ReactNode } from 'react';
import { type CoverageView } from '../../contract';
import { type SectionWords, emptyText, incompleteText, pastCountText } from './recordText';
import { formatRelativeTime } from './timeFormat';
import { useRecordClock } from './RecordClock';

/** A record section: a region named by its h2. */
export function Section({ id, title, children }: Readonly<{ id: string; title: string; children: ReactNode }>) {
  return (
    <section className="app-section" aria-labelledby={`${id}-heading`}>
      <h2 className="nhsuk-heading-m app-section__heading" id={`${id}-heading`}>
        {title}
      </h2>
      {children}
    </section>
  );
}

type StateProps = Readonly<{ coverage: CoverageView; words: SectionWords; count: number; pastCount: number }>;

/**
 * What a section can honestly say about its completeness: "None in the shared care record" (dated)
 * only when its types were covered by a completed pull; otherwise what is missing and why.
 */
export function SectionState({ coverage, words, count, pastCount }: StateProps) {
  const { now } = useRecordClock();
  if (count === 0) {
    const said = emptyText(coverage, words, pastCount);
    const isConfirmedNone = coverage.state === 'confirmed' && !coverage.isWithheld && !coverage.hasUnreadable;
    return (
      <p className={isConfirmedNone ? 'app-muted' : 'app-section__gap'}>
        {said}
        {isConfirmedNone && coverage.confirmedAt ? ` Checked ${formatRelativeTime(coverage.confirmedAt, now)}.` : null}
      </p>
    );
  }
  const missing = incompleteText(coverage, words);
  return missing ? <p className="app-section__gap">{missing}</p> : null;
}

/** Past items (ended, resolved, earlier), counted and a click away, never shown as current. */
export function PastItems({ count, words, children }: Readonly<{ count: number; words: SectionWords; children: ReactNode }>) {
  if (count === 0) return null;
  return (
    <details className="nhsuk-details app-past">
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">{pastCountText(count, words)}</span>
      </summary>
      <div className="nhsuk-details__text">{children}</div>
    </details>
  );
}

const TONES = { plain: 'nhsuk-tag--grey', warning: 'nhsuk-tag--orange', danger: 'nhsuk-tag--red' } as const;

/** A marker in words (never colour alone): "Unconfirmed", "On hold", "High risk". */
export const Marker = ({ text, isWarning = false, tone }: Readonly<{ text: string | null; isWarning?: boolean; tone?: keyof typeof TONES }>) =>
  text ? <strong className={`nhsuk-tag app-item__tag ${TONES[tone ?? (isWarning ? 'warning' : 'plain')]}`}>{text}</strong> : null;
