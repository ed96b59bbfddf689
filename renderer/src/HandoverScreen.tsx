import { useEffect, useState } from 'react';
import { type HandoverEntries, type TriageView } from '../../contract';
import { dispositionProblems } from '../../core/triageRules';
import { useClient } from './ClientContext';
import { TriageAtmistEntry, TriageAtmistSection } from './TriageAtmistSection';
import { TriageFinish } from './TriageFinish';
import { TriageSaveStatus } from './TriageSaveStatus';
import { useFocusOnMount } from './hooks';
import { useAutosave } from './triageAutosave';
import { shortTime } from './triageText';
import { type TriageAct } from './triageView';

type Props = Readonly<{ view: TriageView; act: TriageAct; apply: (view: TriageView) => void; onBack: () => void; onGoToDisposition: () => void }>;

type Field = Readonly<{ key: keyof HandoverEntries; letter: string; label: string; rows: number; max: number }>;

/** The crew's parts of ATMIST; Age and Signs come from the record and the sets. */
const TIME: Field = { key: 'timeOfOnset', letter: 'T', label: 'Time of onset', rows: 1, max: 200 };
const MECHANISM: Field = { key: 'mechanism', letter: 'M', label: 'Mechanism or medical complaint', rows: 3, max: 1000 };
const INJURIES: Field = { key: 'injuries', letter: 'I', label: 'Injuries or information', rows: 3, max: 1000 };
const TREATMENT: Field = { key: 'treatment', letter: 'T', label: 'Treatment given', rows: 3, max: 1000 };

/** Full window while open: the app's header and sync strip step aside (triage.css); print leaves only the text. */
function useFullWindow(): void {
  useEffect(() => {
    const root = document.documentElement;
    root.classList.add('app-fullscreen');
    return () => root.classList.remove('app-fullscreen');
  }, []);
}

/**
 * The ATMIST handover (issue #12): large type for reading aloud at the emergency department,
 * built from the record and the recorded sets, with the crew's own entries saved as entered.
 * Printable: the print stylesheet leaves large black text on white and no controls.
 */
export function HandoverScreen({ view, act, apply, onBack, onGoToDisposition }: Props) {
  const client = useClient();
  const [printError, setPrintError] = useState<string | null>(null);
  // A print is a disclosure: audited first (DESIGN §5); no entry, no print.
  const print = async () => {
    const result = await client.call('triage.printed', { triageId: view.triageId });
    setPrintError(result.ok ? null : result.error.message);
    if (result.ok) window.print();
  };
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  useFullWindow();
  const isReadOnly = view.state === 'finished';
  const autosave = useAutosave<HandoverEntries>({
    initial: view.handover.entries,
    initialSavedAt: Object.values(view.handover.entries).some((v) => v !== '') ? view.updatedAt : null,
    save: (handover) => client.call('triage.saveHandover', { triageId: view.triageId, handover }),
    onSaved: apply,
    savedAtOf: (v) => v.updatedAt,
  });
  const entries = autosave.value;
  const flush = () => void autosave.flush();
  const entry = (field: Field, isOptional = false) => (
    <TriageAtmistEntry
      id={`ho-${field.key}`}
      value={entries[field.key]}
      rows={field.rows}
      maxLength={field.max}
      isReadOnly={isReadOnly}
      isOptional={isOptional}
      onChange={(text) => autosave.change((e) => ({ ...e, [field.key]: text }))}
      onBlur={flush}
    />
  );
  const part = (field: Field) => (
    <TriageAtmistSection letter={field.letter} title={field.label} {...(isReadOnly ? {} : { inputId: `ho-${field.key}` })}>
      {entry(field)}
    </TriageAtmistSection>
  );

  return (
    <div className="app-handover">
      <div className="app-handover__tools app-no-print">
        <button type="button" className="app-back" onClick={onBack}>
          <span aria-hidden="true">‹</span>Back to triage
        </button>
        <button type="button" className="nhsuk-button nhsuk-button--secondary app-button-inline" onClick={() => void print()}>
          Print handover
        </button>
      </div>
      {printError ? (
        <p className="nhsuk-error-message app-no-print" role="alert">
          Not printed: {printError}
        </p>
      ) : null}
      <h1 className="app-handover__title" ref={headingRef} tabIndex={-1}>
        ATMIST handover
      </h1>
      <p className="app-handover__patient">
        {view.patient.name}
        {view.patient.isUnidentified ? <strong className="nhsuk-tag nhsuk-tag--orange app-item__tag">Identity not verified</strong> : null}
        {view.patient.nhsNumber ? ` · NHS number ${view.patient.nhsNumber}` : ''} · {view.resuscitationHeadline}
      </p>
      <p className="app-handover__crew">
        Triage started at {shortTime(view.startedAt)} by {view.startedBy.name}
      </p>
      {isReadOnly ? (
        <p className="app-handover__finished app-no-print" role="status">
          Triage finished at {shortTime(view.finishedAt ?? view.updatedAt)}. The handover is kept on this device and sent to the shared care record with signal.
        </p>
      ) : (
        <TriageSaveStatus status={autosave.status} onRetry={flush} />
      )}
      <TriageAtmistSection letter="A" title="Age">
        <p className="app-handover__text">{view.handover.age || 'Not known'}</p>
      </TriageAtmistSection>
      {part(TIME)}
      {part(MECHANISM)}
      {part(INJURIES)}
      <TriageAtmistSection letter="S" title="Signs">
        <ul className="app-handover__signs">
          {view.handover.signs.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        {isReadOnly ? null : (
          <label className="nhsuk-label nhsuk-label--s app-no-print" htmlFor="ho-signsNote">
            More about signs
          </label>
        )}
        {entry({ key: 'signsNote', letter: 'S', label: 'More about signs', rows: 2, max: 1000 }, true)}
      </TriageAtmistSection>
      {part(TREATMENT)}
      <TriageFinish view={view} act={act} beforeFinish={autosave.flush} problems={() => dispositionProblems(view.disposition)} linkToFields={false} onGoToDisposition={onGoToDisposition} />
    </div>
  );
}
