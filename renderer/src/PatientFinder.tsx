import { useEffect, useState } from 'react';
import { type AccessPurposeInput, type PatientMatchView, type PatientQueryInput, type PatientSearchResultView } from '../../contract';
import { BreakGlassReasonForm } from './BreakGlassParts';
import { useClient } from './ClientContext';
import { ErrorSummary } from './ErrorSummary';
import { PatientSearchForm } from './PatientSearchForm';
import { SearchResults } from './SearchResults';
import { describeSync } from './syncText';

export type ChosenPatient = Readonly<{ match: PatientMatchView; purpose: AccessPurposeInput; breakGlassUntil: string | null }>;

type Props = Readonly<{
  purpose: AccessPurposeInput;
  /** The button on each result, e.g. "Open record for" or "Link to". */
  actionLabel: string;
  onChosen: (chosen: ChosenPatient) => void;
}>;

type Step = Readonly<{ kind: 'search' }> | Readonly<{ kind: 'reason'; match: PatientMatchView }> | Readonly<{ kind: 'fetching'; match: PatientMatchView }>;

/**
 * Issue #13: search (the device first, the central record too when there is signal), results
 * ranked by fields matched, then the chosen one: emergency access first when the purpose does
 * not cover them, and brought to the device first when only the central record has them.
 */
export function PatientFinder({ purpose, actionLabel, onChosen }: Props) {
  const client = useClient();
  const [result, setResult] = useState<PatientSearchResultView | null>(null);
  const [isSearching, setIsSearching] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'search' });
  // While a record is brought here, the sync's own honest progress (never past 100%) is shown.
  const [progress, setProgress] = useState<string | null>(null);
  useEffect(
    () => client.onEvent((event) => event.name === 'sync.changed' && setProgress(describeSync(event.payload, Date.now()).progress?.text ?? null)),
    [client],
  );

  async function search(query: PatientQueryInput) {
    setIsSearching(true);
    const answer = await client.call('patients.search', { query, purpose });
    setIsSearching(false);
    if (!answer.ok) return setError(answer.error.message);
    setError(null);
    setResult(answer.value);
  }

  async function proceed(match: PatientMatchView, breakGlassUntil: string | null) {
    const how: AccessPurposeInput = breakGlassUntil ? { kind: 'break-glass' } : purpose;
    if (!match.isOnDevice) {
      setStep({ kind: 'fetching', match });
      const fetched = await client.call('patients.fetch', { patientId: match.patientId, purpose });
      if (!fetched.ok) {
        setStep({ kind: 'search' });
        return setError(fetched.error.message);
      }
    }
    setStep({ kind: 'search' });
    onChosen({ match, purpose: how, breakGlassUntil });
  }

  if (step.kind === 'reason') {
    const m = step.match;
    return (
      <BreakGlassReasonForm
        patient={{ patientId: m.patientId, nhsNumber: null, name: m.name, birthDate: null, needsBreakGlass: true }}
        onCancel={() => setStep({ kind: 'search' })}
        onGranted={(expiresAt) => void proceed(m, expiresAt)}
      />
    );
  }
  if (step.kind === 'fetching') {
    return (
      <div className="app-notice" role="status" aria-live="polite">
        <p>Bringing {step.match.name}’s record to this device, safety information first…</p>
        <p>{progress ?? 'Connecting to the shared care record…'}</p>
      </div>
    );
  }
  return (
    <>
      {error ? <ErrorSummary key={error} title="The search could not be completed" errors={[{ text: error }]} /> : null}
      <PatientSearchForm isSearching={isSearching} onSearch={(q) => void search(q)} />
      {result ? (
        <SearchResults
          result={result}
          actionLabel={actionLabel}
          onChoose={(match) => (match.needsBreakGlass ? setStep({ kind: 'reason', match }) : void proceed(match, null))}
        />
      ) : null}
    </>
  );
}
