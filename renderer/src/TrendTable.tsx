import { BAND_LABELS, shortTime } from './triageText';
import { type TrendRow } from './triageView';

const dash = (typed: string): string => (typed.trim() === '' ? '—' : typed);

function bloodPressure(row: TrendRow): string {
  const { systolicBp, diastolicBp } = row.entries;
  if (systolicBp === '' && diastolicBp === '') return '—';
  return diastolicBp === '' ? systolicBp : `${dash(systolicBp)}/${diastolicBp}`;
}

/**
 * The trend as a table: the accessible equivalent of the charts, one row per recorded set, oldest
 * first. Column headers carry the units; a score is its number and its band in words.
 */
export function TrendTable({ rows }: Readonly<{ rows: readonly TrendRow[] }>) {
  return (
    <div className="app-trend-table" role="region" aria-labelledby="trend-table-caption" tabIndex={0}>
      <table className="nhsuk-table nhsuk-table--compact">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m" id="trend-table-caption">
          Recorded sets, oldest first
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header">Set and time</th>
            <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Respiration rate (breaths a minute)</th>
            <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">SpO2 (%)</th>
            <th scope="col" className="nhsuk-table__header">Air or oxygen</th>
            <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Blood pressure (mmHg)</th>
            <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Pulse (beats a minute)</th>
            <th scope="col" className="nhsuk-table__header">ACVPU</th>
            <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric">Temperature (°C)</th>
            <th scope="col" className="nhsuk-table__header">NEWS2</th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {rows.map((row) => (
            <tr className="nhsuk-table__row" key={row.setId}>
              <th scope="row" className="nhsuk-table__header">
                Set {row.number}, {shortTime(row.takenAt)}
                {row.status === 'amended' ? <span className="app-trend-table__note"> (amended)</span> : null}
              </th>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{dash(row.entries.respirationRate)}</td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                {dash(row.entries.spo2)}
                {row.spo2Scale.scale === 2 ? <span className="app-trend-table__note"> Scale 2</span> : null}
              </td>
              <td className="nhsuk-table__cell">{row.entries.onOxygen === null ? '—' : row.entries.onOxygen ? 'Oxygen' : 'Air'}</td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{bloodPressure(row)}</td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{dash(row.entries.pulse)}</td>
              <td className="nhsuk-table__cell">{row.entries.consciousness ?? '—'}</td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{dash(row.entries.temperatureC)}</td>
              <td className="nhsuk-table__cell">
                {row.news2.isComplete ? (
                  <span className={`app-band app-band--${row.news2.band}`}>
                    {row.news2.total} {BAND_LABELS[row.news2.band]}
                  </span>
                ) : (
                  'Not scored'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
