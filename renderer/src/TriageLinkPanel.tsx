import { useState } from 'react';
import { type TriageView } from '../../contract';
import { useClient } from './ClientContext';
import { ErrorSummary } from './ErrorSummary';
import { type ChosenPatient, PatientFinder } from './PatientFinder';
import { useFocusOnMount } from './hooks';

const setsText = (n: number) => (n === 0 ? 'no sets of observations yet' : n === 1 ? '1 set of observations' : `${n} sets of observations`);

type Props = Readonly<{ view: TriageView; onLinked: (view: TriageView) => void; onCancel: () => void }>;

/**
 * Issue #13: the patient has been identified. Find them, then link: everything recorded under the
 * temporary identity moves to them (or, if already uploaded, is sent again with a link), and
 * nothing recorded is lost. Until upload the link can be undone.
 */
export function TriageLinkPanel({ view, onLinked, onCancel }: Props) {
  const client = useClient();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [error, setError] = useState<string | null>(null);
  const purpose = view.incidentId ? ({ kind: 'incident', incidentId: view.incidentId } as const) : ({ kind: 'break-glass' } as const);

  async function link(chosen: ChosenPatient) {
    const result = await client.call('triage.linkPatient', { triageId: view.triageId, patientId: chosen.match.patientId });
    if (!result.ok) return setError(result.error.message);
    onLinked(result.value);
  }

  return (
    <section aria-labelledby="triage-link-heading">
      <button type="button" className="app-back" onClick={onCancel}>
        <span aria-hidden="true">‹</span>Back to triage
      </button>
      <h1 className="nhsuk-heading-l app-screen-heading" id="triage-link-heading" ref={headingRef} tabIndex={-1}>
        Link to the identified patient
      </h1>
      <p>
        Recorded so far for <strong>{view.patient.name}</strong>: {setsText(view.sets.filter((s) => s.versions.length > 0).length)}. Everything recorded moves to the patient you choose.
      </p>
      {error ? <ErrorSummary key={error} title="Cannot link this patient" errors={[{ text: error }]} /> : null}
      <PatientFinder purpose={purpose} actionLabel="Link to" onChosen={(chosen) => void link(chosen)} />
    </section>
  );
}
