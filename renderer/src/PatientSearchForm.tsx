import { useState, type FormEvent } from 'react';
import { type PatientQueryInput, patientQuerySchema } from '../../contract';
import { ErrorSummary, type ErrorItem } from './ErrorSummary';

/** Issue #13: the ways a patient can be found, one at a time, checked as typed with the contract's own schema. */
export type QueryKind = PatientQueryInput['kind'];

const KINDS: readonly Readonly<{ kind: QueryKind; label: string }>[] = [
  { kind: 'name-dob', label: 'Family name and date of birth' },
  { kind: 'nhs-number', label: 'NHS number' },
  { kind: 'name', label: 'Part of a name, or a name that sounds like it' },
  { kind: 'dob-postcode', label: 'Date of birth and postcode' },
  { kind: 'postcode-age', label: 'Postcode and approximate age' },
];

type Fields = Readonly<{ nhsNumber: string; family: string; given: string; day: string; month: string; year: string; postcode: string; age: string }>;
const EMPTY: Fields = { nhsNumber: '', family: '', given: '', day: '', month: '', year: '', postcode: '', age: '' };

const FIELD_IDS: Readonly<Record<string, string>> = { nhsNumber: 'search-nhs', family: 'search-family', given: 'search-given', birthDate: 'search-dob-day', postcode: 'search-postcode', ageYears: 'search-age' };

function birthDate(f: Fields): string {
  if (!f.day && !f.month && !f.year) return '';
  return `${f.year.padStart(4, '0')}-${f.month.padStart(2, '0')}-${f.day.padStart(2, '0')}`;
}

function queryOf(kind: QueryKind, f: Fields): unknown {
  const given = f.given.trim() ? { given: f.given } : {};
  switch (kind) {
    case 'nhs-number':
      return { kind, nhsNumber: f.nhsNumber };
    case 'name-dob':
      return { kind, family: f.family, ...given, birthDate: birthDate(f) };
    case 'name':
      return { kind, family: f.family, ...given };
    case 'dob-postcode':
      return { kind, birthDate: birthDate(f), postcode: f.postcode };
    case 'postcode-age':
      return { kind, postcode: f.postcode, ageYears: f.age.trim() === '' ? Number.NaN : Number(f.age) };
  }
}

/** The contract's own messages, each tied to its field. */
function problemsOf(kind: QueryKind, f: Fields): ErrorItem[] {
  const parsed = patientQuerySchema.safeParse(queryOf(kind, f));
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const field = String(issue.path[0] ?? '');
    const text = field === 'ageYears' ? 'Enter the approximate age in years, such as 40' : field === 'birthDate' && !birthDate(f) ? 'Enter the date of birth' : issue.message;
    return { text, fieldId: FIELD_IDS[field] ?? 'search-kind-0' };
  });
}

type Props = Readonly<{ isSearching: boolean; onSearch: (query: PatientQueryInput) => void }>;

/** One search at a time; an NHS number is checked (Modulus 11) as it is typed, not only on submit. */
export function PatientSearchForm({ isSearching, onSearch }: Props) {
  const [kind, setKind] = useState<QueryKind>('name-dob');
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [errors, setErrors] = useState<readonly ErrorItem[]>([]);
  const set = (key: keyof Fields) => (value: string) => setFields((current) => ({ ...current, [key]: value }));
  const digits = fields.nhsNumber.replace(/\s+/g, '');
  // As typed: once ten digits are there, a failed check digit shows at once.
  const nhsAsTyped = kind === 'nhs-number' && /^\d{10}$/.test(digits) ? problemsOf('nhs-number', fields)[0]?.text ?? null : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = problemsOf(kind, fields);
    setErrors(found);
    if (found.length === 0) onSearch(queryOf(kind, fields) as PatientQueryInput);
  }
  const errorFor = (id: string) => errors.find((e) => e.fieldId === id)?.text ?? null;

  return (
    <form noValidate onSubmit={submit} aria-label="Find a patient">
      {errors.length > 0 ? <ErrorSummary key={errors.map((e) => e.text).join('|')} errors={errors} /> : null}
      <div className="nhsuk-form-group">
        <fieldset className="nhsuk-fieldset">
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Search by</legend>
          <div className="nhsuk-radios nhsuk-radios--small">
            {KINDS.map((k, index) => (
              <div className="nhsuk-radios__item" key={k.kind}>
                <input className="nhsuk-radios__input" id={`search-kind-${index}`} name="search-kind" type="radio" checked={kind === k.kind} onChange={() => { setKind(k.kind); setErrors([]); }} />
                <label className="nhsuk-label nhsuk-radios__label" htmlFor={`search-kind-${index}`}>{k.label}</label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      {kind === 'nhs-number' ? (
        <TextField id="search-nhs" label="NHS number" hint="10 digits, spaces allowed" value={fields.nhsNumber} onChange={set('nhsNumber')} error={nhsAsTyped ?? errorFor('search-nhs')} width={10} inputMode="numeric" />
      ) : null}
      {kind === 'name-dob' || kind === 'name' ? (
        <>
          <TextField id="search-family" label="Family name" hint={kind === 'name' ? 'The start of it is enough; similar-sounding names are found too' : undefined} value={fields.family} onChange={set('family')} error={errorFor('search-family')} width={20} />
          <TextField id="search-given" label="Given name (optional)" value={fields.given} onChange={set('given')} error={errorFor('search-given')} width={20} />
        </>
      ) : null}
      {kind === 'name-dob' || kind === 'dob-postcode' ? <DateField fields={fields} set={set} error={errorFor('search-dob-day')} /> : null}
      {kind === 'dob-postcode' || kind === 'postcode-age' ? (
        <TextField id="search-postcode" label="Postcode" hint="The full postcode, or the first half (such as E8)" value={fields.postcode} onChange={set('postcode')} error={errorFor('search-postcode')} width={10} />
      ) : null}
      {kind === 'postcode-age' ? (
        <TextField id="search-age" label="Approximate age in years" hint="Patients within 5 years either side are found" value={fields.age} onChange={set('age')} error={errorFor('search-age')} width={4} inputMode="numeric" />
      ) : null}
      <button type="submit" className="nhsuk-button app-button-wide" disabled={isSearching}>
        {isSearching ? 'Searching…' : 'Search'}
      </button>
    </form>
  );
}

type TextFieldProps = Readonly<{ id: string; label: string; hint?: string | undefined; value: string; onChange: (v: string) => void; error: string | null; width: number; inputMode?: 'numeric' }>;

function TextField({ id, label, hint, value, onChange, error, width, inputMode }: TextFieldProps) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label className="nhsuk-label nhsuk-label--s" htmlFor={id}>{label}</label>
      {hint ? <div className="nhsuk-hint" id={`${id}-hint`}>{hint}</div> : null}
      {error ? (
        <span className="nhsuk-error-message" id={`${id}-error`} role="alert">
          <span className="nhsuk-u-visually-hidden">Error:</span> {error}
        </span>
      ) : null}
      <input className={`nhsuk-input nhsuk-input--width-${width}${error ? ' nhsuk-input--error' : ''}`} id={id} autoComplete="off" spellCheck={false} value={value} aria-describedby={described} {...(inputMode ? { inputMode } : {})} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

function DateField({ fields, set, error }: Readonly<{ fields: Fields; set: (key: keyof Fields) => (v: string) => void; error: string | null }>) {
  const parts = [['day', 'Day', 2], ['month', 'Month', 2], ['year', 'Year', 4]] as const;
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset className="nhsuk-fieldset" role="group" aria-describedby={error ? 'search-dob-error' : 'search-dob-hint'}>
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Date of birth</legend>
        <div className="nhsuk-hint" id="search-dob-hint">For example, 15 3 1984</div>
        {error ? (
          <span className="nhsuk-error-message" id="search-dob-error" role="alert">
            <span className="nhsuk-u-visually-hidden">Error:</span> {error}
          </span>
        ) : null}
        <div className="nhsuk-date-input">
          {parts.map(([key, label, width]) => (
            <div className="nhsuk-date-input__item" key={key}>
              <div className="nhsuk-form-group">
                <label className="nhsuk-label nhsuk-date-input__label" htmlFor={`search-dob-${key}`}>{label}</label>
                <input className={`nhsuk-input nhsuk-date-input__input nhsuk-input--width-${width}${error ? ' nhsuk-input--error' : ''}`} id={`search-dob-${key}`} inputMode="numeric" autoComplete="off" value={fields[key]} onChange={(e) => set(key)(e.target.value)} />
              </div>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}
