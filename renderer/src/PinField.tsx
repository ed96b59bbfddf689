type PinFieldProps = Readonly<{
  id: string;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
  /** Default "PIN". */
  label?: string;
  hint?: string;
}>;

/** The PIN input used by sign-in and unlock: NHS form group, error linked for screen readers. */
export function PinField({ id, value, error, onChange, label = 'PIN', hint }: PinFieldProps) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label className="nhsuk-label nhsuk-label--m" htmlFor={id}>
        {label}
      </label>
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
      <input
        className={`nhsuk-input nhsuk-input--width-10 app-pin${error ? ' nhsuk-input--error' : ''}`}
        id={id}
        name="pin"
        type="password"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={describedBy}
      />
    </div>
  );
}
