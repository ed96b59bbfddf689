import { useState } from 'react';
import { type TriageView } from '../../contract';
import { news2For } from '../../core/triageRules';
import { useClient } from './ClientContext';
import { ErrorSummary } from './ErrorSummary';
import { TrendChart } from './TrendChart';
import { TrendTable } from './TrendTable';
import { TriageSetTags } from './TriageSetTags';
import { useFocusOnMount } from './hooks';
import { type ChartPoint } from './triageChart';
import { shortTime } from './triageText';
import { recordedSets, trendRows, typedValue, type TrendRow, type TriageAct } from './triageView';

type Props = Readonly<{ view: TriageView; act: TriageAct; onCorrecting: () => void }>;

const CHARTS: readonly (readonly [title: string, unit: string, pick: (row: TrendRow) => number | null])[] = [
  ['Respiration rate', 'breaths a minute', (r) => typedValue(r.entries.respirationRate)],
  ['SpO2', '%', (r) => typedValue(r.entries.spo2)],
  ['Systolic blood pressure', 'mmHg', (r) => typedValue(r.entries.systolicBp)],
  ['Pulse', 'beats a minute', (r) => typedValue(r.entries.pulse)],
  ['Temperature', '°C', (r) => typedValue(r.entries.temperatureC)],
  ['NEWS2 total', '', (r) => (r.news2.isComplete ? r.news2.total : null)],
];

/** The trend of recorded sets (table and charts) and every set with its status, to correct one. */
export function TriageTrend({ view, act, onCorrecting }: Props) {
  const client = useClient();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [error, setError] = useState<string | null>(null);
  const rows = trendRows(view, news2For);
  const sets = recordedSets(view);
  const isCorrecting = view.sets.some((s) => s.isCorrecting);

  async function correct(setId: string) {
    const result = await act(() => client.call('triage.correctSet', { triageId: view.triageId, setId }));
    if (result.ok) onCorrecting();
    else setError(result.error.message);
  }

  return (
    <>
      {error ? <ErrorSummary key={error} title="Cannot correct this set" errors={[{ text: error }]} /> : null}
      <h1 className="nhsuk-heading-l app-screen-heading" ref={headingRef} tabIndex={-1}>
        Trend
      </h1>
      {rows.length === 0 ? (
        <p className="nhsuk-body-l">No set of observations has been recorded yet. The trend appears here once one is.</p>
      ) : (
        <>
          <TrendTable rows={rows} />
          <h2 className="nhsuk-heading-m">Charts</h2>
          <div className="app-charts">
            {CHARTS.map(([title, unit, pick]) => {
              const points: ChartPoint[] = rows.map((row) => ({ at: shortTime(row.takenAt), value: pick(row) }));
              return <TrendChart key={title} title={title} unit={unit} points={points} format={title === 'Temperature' ? (v) => v.toFixed(1) : String} />;
            })}
          </div>
        </>
      )}
      {sets.length > 0 ? (
        <>
          <h2 className="nhsuk-heading-m">Sets recorded</h2>
          <ul className="nhsuk-list app-set-list">
            {sets.map(({ set, number, version }) => (
              <li key={set.setId} className="app-item app-set-list__item">
                <p className="app-item__title">
                  Set {number}, taken at {shortTime(version.takenAt)} by {set.takenBy.name}
                </p>
                <TriageSetTags set={set} />
                {version.reason ? <p className="app-item__text">Reason for correction: {version.reason}</p> : null}
                {!isCorrecting && version.status !== 'entered-in-error' ? (
                  <button type="button" className="nhsuk-button nhsuk-button--secondary app-button-inline" onClick={() => void correct(set.setId)}>
                    Correct set {number}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
          {isCorrecting ? <p className="nhsuk-body">A correction is being entered: finish it on the Observations step before correcting another set.</p> : null}
        </>
      ) : null}
    </>
  );
}
