/** Small NHS form parts the triage screens share. */

export function FieldError({ id, text }: Readonly<{ id: string; text: string | undefined }>) {
  if (!text) return null;
  return (
    <span className="nhsuk-error-message" id={id}>
      <span className="nhsuk-u-visually-hidden">Error: </span>
      {text}
    </span>
  );
}

type TextInputProps = Readonly<{ id: string; label: string; hint: string; value: string; error: string | undefined; maxLength: number; onChange: (value: string) => void; onBlur: () => void }>;

/** A labelled text input with its hint and error, linked for screen readers. */
export function TextInput({ id, label, hint, value, error, maxLength, onChange, onBlur }: TextInputProps) {
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label className="nhsuk-label nhsuk-label--s" htmlFor={id}>
        {label}
      </label>
      <div className="nhsuk-hint" id={`${id}-hint`}>
        {hint}
      </div>
      <FieldError id={`${id}-error`} text={error} />
      <input
        className={`nhsuk-input${error ? ' nhsuk-input--error' : ''}`}
        id={id}
        type="text"
        maxLength={maxLength}
        autoComplete="off"
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onBlur={onBlur}
      />
    </div>
  );
}
