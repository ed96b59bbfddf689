import { useState } from 'react';
import { type PatientRecordView } from '../../contract';
import { FoundRecord } from './CallScreen';
import { useClient } from './ClientContext';
import { ErrorSummary } from './ErrorSummary';
import { type ChosenPatient, PatientFinder } from './PatientFinder';
import { useFocusOnMount } from './hooks';

type Props = Readonly<{ now: number; onBack: () => void }>;

/**
 * A crew member looking for someone not on their incidents (issue #13): the search's purpose is
 * emergency access, so the list shows only name, age, partial address and why it matched, and
 * opening a record needs break-glass with a reason (recorded, time-limited, reviewed).
 */
export function FindPatientScreen({ now, onBack }: Props) {
  const client = useClient();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [opened, setOpened] = useState<Readonly<{ record: PatientRecordView; until: string | null }> | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function open(chosen: ChosenPatient) {
    const result = await client.call('record.openWithPurpose', { patientId: chosen.match.patientId, purpose: chosen.purpose });
    if (!result.ok) return setError(result.error.message);
    setOpened({ record: result.value, until: chosen.breakGlassUntil });
  }

  if (opened) return <FoundRecord record={opened.record} until={opened.until} now={now} onBack={() => setOpened(null)} />;
  return (
    <>
      <button type="button" className="app-back" onClick={onBack}>
        <span aria-hidden="true">‹</span>Back to incidents
      </button>
      <h1 className="nhsuk-heading-l app-screen-heading" ref={headingRef} tabIndex={-1}>
        Find a patient
      </h1>
      <p>For someone not on your incidents. Opening their record needs emergency access, which is recorded and reviewed.</p>
      {error ? <ErrorSummary key={error} title="Cannot open this record" errors={[{ text: error }]} /> : null}
      <PatientFinder purpose={{ kind: 'break-glass' }} actionLabel="Open record for" onChosen={(chosen) => void open(chosen)} />
    </>
  );
}
