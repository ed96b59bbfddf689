import { type News2View } from '../../contract';
import { BAND_LABELS, notScoredText } from './triageText';

const SUB_SCORE_LABELS = [
  ['respirationRate', 'Respiration rate'],
  ['spo2', 'SpO2'],
  ['onOxygen', 'Air or oxygen'],
  ['systolicBp', 'Systolic blood pressure'],
  ['pulse', 'Pulse'],
  ['consciousness', 'Consciousness'],
  ['temperature', 'Temperature'],
] as const;

type Props = Readonly<{
  news2: News2View;
  /** "Live" while typing, "Recorded" for a recorded set. */
  caption: string;
  /** Scale 2 is said beside the SpO2 sub-score, so nobody misreads a low SpO2 scoring 0. */
  spo2Scale: 1 | 2;
  headingId: string;
}>;

/**
 * NEWS2 for one set: the total and its band in words and colour, the clinical response and the
 * sub-scores; an incomplete set says what is missing and shows no number. The headline is a
 * polite live region, so a screen reader hears the score change, not every keystroke.
 */
export function News2Panel({ news2, caption, spo2Scale, headingId }: Props) {
  const tone = news2.isComplete ? news2.band : 'incomplete';
  return (
    <section className={`app-news2 app-news2--${tone}`} aria-labelledby={headingId}>
      <h2 className="app-news2__heading" id={headingId}>
        NEWS2 <span className="app-news2__caption">({caption})</span>
      </h2>
      <div aria-live="polite" aria-atomic="true">
        {news2.isComplete ? (
          <p className="app-news2__headline">
            <span className="app-news2__total">{news2.total}</span>
            <span className="app-news2__band">
              <span className="nhsuk-u-visually-hidden">, band: </span>
              {BAND_LABELS[news2.band]}
            </span>
          </p>
        ) : (
          <p className="app-news2__missing">{notScoredText(news2.missing)}</p>
        )}
      </div>
      {news2.isComplete ? (
        <>
          <p className="app-news2__response">{news2.response}</p>
          <dl className="app-news2__subs">
            {SUB_SCORE_LABELS.map(([key, label]) => (
              <div key={key} className={news2.subScores[key] === 3 ? 'app-news2__sub app-news2__sub--three' : 'app-news2__sub'}>
                <dt>{key === 'spo2' ? `${label} (Scale ${spo2Scale})` : label}</dt>
                <dd>{news2.subScores[key]}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
    </section>
  );
}
