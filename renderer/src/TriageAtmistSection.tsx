import { type ReactNode } from 'react';

type Props = Readonly<{
  letter: string;
  title: string;
  /** The input the heading labels (the heading is the field's visible label), if the crew can edit it. */
  inputId?: string;
  children: ReactNode;
}>;

/** One ATMIST part: the big letter, its full words as the heading, then what it says. */
export function TriageAtmistSection({ letter, title, inputId, children }: Props) {
  const headingId = `${inputId ?? `ho-${title.toLowerCase().replace(/\W+/g, '-')}`}-heading`;
  return (
    <section className="app-atmist" aria-labelledby={headingId}>
      <h2 className="app-atmist__heading" id={headingId}>
        <span className="app-atmist__letter" aria-hidden="true">
          {letter}
        </span>
        {inputId ? <label htmlFor={inputId}>{title}</label> : title}
      </h2>
      {children}
    </section>
  );
}

type EntryProps = Readonly<{ id: string; value: string; rows: number; maxLength: number; isReadOnly: boolean; isOptional?: boolean; onChange: (value: string) => void; onBlur: () => void }>;

/**
 * What the crew writes for one part: a textarea on screen, the same text as a paragraph in print
 * (and once the triage is finished).
 */
export function TriageAtmistEntry({ id, value, rows, maxLength, isReadOnly, isOptional = false, onChange, onBlur }: EntryProps) {
  const text = value.trim();
  return (
    <>
      {isReadOnly ? null : (
        <textarea className="nhsuk-textarea app-handover__input app-no-print" id={id} rows={rows} maxLength={maxLength} value={value} onChange={(event) => onChange(event.target.value)} onBlur={onBlur} />
      )}
      {text === '' && isOptional ? null : <p className={`app-handover__text${isReadOnly ? '' : ' app-print-only'}`}>{text || 'Not recorded'}</p>}
    </>
  );
}
