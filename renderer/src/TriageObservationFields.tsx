import { type ObservationEntries, type Spo2ScaleChoice } from '../../contract';
import { TriageNumberField } from './TriageNumberField';
import { TriageRadios } from './TriageRadios';
import { TriageScaleField } from './TriageScaleField';
import { numericField } from './triageFields';
import { ACVPU_LABELS } from './triageText';

type Props = Readonly<{
  entries: ObservationEntries;
  spo2Scale: Spo2ScaleChoice;
  takenAtText: string;
  takenBy: string;
  scale2FromRecord: string | null;
  errorFor: (field: string) => string | undefined;
  onEntry: <K extends keyof ObservationEntries>(key: K, value: ObservationEntries[K]) => void;
  onScale: (scale: Spo2ScaleChoice) => void;
  onTakenAt: (text: string) => void;
  /** The crew left a field: show its problems and save now. */
  onLeave: (field: string) => void;
}>;

const CONSCIOUSNESS = ['A', 'C', 'V', 'P', 'U'] as const satisfies readonly NonNullable<ObservationEntries['consciousness']>[];
type NumberKey = 'respirationRate' | 'spo2' | 'systolicBp' | 'diastolicBp' | 'pulse' | 'temperatureC';

/** The fields of one set, in the order of the RCP NEWS2 chart (diastolic beside systolic). */
export function TriageObservationFields({ entries, spo2Scale, takenAtText, takenBy, scale2FromRecord, errorFor, onEntry, onScale, onTakenAt, onLeave }: Props) {
  const takenAtError = errorFor('takenAt');
  const numberField = (key: NumberKey) => (
    <TriageNumberField field={numericField(key)} value={entries[key]} error={errorFor(key)} onChange={(v) => onEntry(key, v)} onBlur={() => onLeave(key)} />
  );
  return (
    <>
      <div className={`nhsuk-form-group${takenAtError ? ' nhsuk-form-group--error' : ''}`}>
        <label className="nhsuk-label nhsuk-label--s" htmlFor="obs-takenAt">
          Time taken
        </label>
        <div className="nhsuk-hint" id="obs-takenAt-hint">
          Taken by {takenBy}
        </div>
        {takenAtError ? (
          <span className="nhsuk-error-message" id="obs-takenAt-error">
            <span className="nhsuk-u-visually-hidden">Error: </span>
            {takenAtError}
          </span>
        ) : null}
        <input
          className={`nhsuk-input app-obs-time${takenAtError ? ' nhsuk-input--error' : ''}`}
          id="obs-takenAt"
          type="datetime-local"
          value={takenAtText}
          aria-describedby={takenAtError ? 'obs-takenAt-hint obs-takenAt-error' : 'obs-takenAt-hint'}
          onChange={(event) => onTakenAt(event.target.value)}
          onBlur={() => onLeave('takenAt')}
        />
      </div>
      {numberField('respirationRate')}
      {numberField('spo2')}
      <TriageScaleField value={spo2Scale} fromRecord={scale2FromRecord} error={errorFor('spo2Scale')} onChange={onScale} onBlur={() => onLeave('spo2Scale')} />
      <TriageRadios<'air' | 'oxygen'>
        name="obs-onOxygen"
        legend="Air or oxygen"
        isInline
        value={entries.onOxygen === null ? null : entries.onOxygen ? 'oxygen' : 'air'}
        error={errorFor('onOxygen')}
        options={[
          { value: 'air', id: 'obs-onOxygen-air', label: 'On air' },
          { value: 'oxygen', id: 'obs-onOxygen-oxygen', label: 'On oxygen' },
        ]}
        onChange={(v) => onEntry('onOxygen', v === 'oxygen')}
      />
      {numberField('systolicBp')}
      {numberField('diastolicBp')}
      {numberField('pulse')}
      <TriageRadios
        name="obs-consciousness"
        legend="Consciousness (ACVPU)"
        value={entries.consciousness}
        error={errorFor('consciousness')}
        options={CONSCIOUSNESS.map((level) => ({ value: level, id: `obs-consciousness-${level}`, label: ACVPU_LABELS[level] }))}
        onChange={(level) => onEntry('consciousness', level)}
      />
      {numberField('temperatureC')}
    </>
  );
}
