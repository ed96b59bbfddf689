import { type KeyboardEvent } from 'react';
import { fieldId, sanitiseTyped, stepTyped, type NumericField } from './triageFields';

type Props = Readonly<{
  field: NumericField;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
  onBlur: () => void;
}>;

/**
 * One observation: a large input with its label and unit always visible, and − / + steppers
 * (≥ 44 px, named "Decrease …" / "Increase …") for gloved hands. Arrow up and down in the input
 * step too, as in a native number field. Only what the store can keep is accepted.
 */
export function TriageNumberField({ field, value, error, onChange, onBlur }: Props) {
  const id = fieldId(field.key);
  const unitId = `${id}-unit`;
  const errorId = `${id}-error`;
  const words = field.label.charAt(0).toLowerCase() + field.label.slice(1);
  const name = field.key === 'spo2' ? 'SpO2' : words;
  const step = (direction: 1 | -1) => onChange(stepTyped(value, field, direction));
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
    event.preventDefault();
    step(event.key === 'ArrowUp' ? 1 : -1);
  };
  return (
    <div className={`nhsuk-form-group app-obs-field${error ? ' nhsuk-form-group--error' : ''}`}>
      <label className="nhsuk-label nhsuk-label--m app-obs-field__label" htmlFor={id}>
        {field.label}
      </label>
      {error ? (
        <span className="nhsuk-error-message" id={errorId}>
          <span className="nhsuk-u-visually-hidden">Error: </span>
          {error}
        </span>
      ) : null}
      <div className="app-stepper">
        <button type="button" className="app-stepper__button" aria-label={`Decrease ${name}`} onClick={() => step(-1)} onBlur={onBlur}>
          <span aria-hidden="true">−</span>
        </button>
        <input
          className={`nhsuk-input app-obs-input${error ? ' nhsuk-input--error' : ''}`}
          id={id}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
          value={value}
          aria-describedby={error ? `${unitId} ${errorId}` : unitId}
          aria-invalid={error ? true : undefined}
          onChange={(event) => {
            const typed = sanitiseTyped(event.target.value);
            if (typed !== null) onChange(typed);
          }}
          onKeyDown={onKeyDown}
          onBlur={onBlur}
        />
        <button type="button" className="app-stepper__button" aria-label={`Increase ${name}`} onClick={() => step(1)} onBlur={onBlur}>
          <span aria-hidden="true">+</span>
        </button>
        <span className="app-obs-unit" id={unitId}>
          {field.unit}
        </span>
      </div>
    </div>
  );
}
