import { type ReactNode } from 'react';

export type RadioOption<V extends string> = Readonly<{ value: V; label: string; hint?: string; id: string; conditional?: ReactNode }>;

type Props<V extends string> = Readonly<{
  name: string;
  legend: string;
  /** 's' for a field inside a form, 'm' for the question a screen asks. */
  legendSize?: 's' | 'm';
  hint?: string;
  options: readonly RadioOption<V>[];
  value: V | null;
  error?: string | undefined;
  isInline?: boolean;
  onChange: (value: V) => void;
}>;

/**
 * NHS radios in a fieldset: one Tab stop, arrow keys move and choose (native radios), large
 * targets; a conditional question appears under its option when chosen.
 */
export function TriageRadios<V extends string>({ name, legend, legendSize = 's', hint, options, value, error, isInline = false, onChange }: Props<V>) {
  const hintId = `${name}-hint`;
  const errorId = `${name}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset className="nhsuk-fieldset" aria-describedby={describedBy}>
        <legend className={`nhsuk-fieldset__legend nhsuk-fieldset__legend--${legendSize}`}>{legend}</legend>
        {hint ? (
          <div className="nhsuk-hint" id={hintId}>
            {hint}
          </div>
        ) : null}
        {error ? (
          <span className="nhsuk-error-message" id={errorId}>
            <span className="nhsuk-u-visually-hidden">Error: </span>
            {error}
          </span>
        ) : null}
        <div className={`nhsuk-radios${isInline ? ' nhsuk-radios--inline' : ''}`}>
          {options.map((option) => (
            <RadioItem key={option.value} name={name} option={option} isChecked={value === option.value} onChange={onChange} />
          ))}
        </div>
      </fieldset>
    </div>
  );
}

function RadioItem<V extends string>({ name, option, isChecked, onChange }: Readonly<{ name: string; option: RadioOption<V>; isChecked: boolean; onChange: (value: V) => void }>) {
  const hintId = option.hint ? `${option.id}-hint` : undefined;
  return (
    <>
      <div className="nhsuk-radios__item">
        <input className="nhsuk-radios__input" id={option.id} name={name} type="radio" value={option.value} checked={isChecked} aria-describedby={hintId} onChange={() => onChange(option.value)} />
        <label className="nhsuk-label nhsuk-radios__label" htmlFor={option.id}>
          {option.label}
        </label>
        {option.hint ? (
          <div className="nhsuk-hint nhsuk-radios__hint" id={hintId}>
            {option.hint}
          </div>
        ) : null}
      </div>
      {isChecked && option.conditional ? <div className="nhsuk-radios__conditional">{option.conditional}</div> : null}
    </>
  );
}
