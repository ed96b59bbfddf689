import type { Annotation, CarePlan, Communication, Practitioner, Reference } from '@medplum/fhirtypes';
import { SYSTEMS } from './fhirCodes';
import type { StaffRef } from './triageViews';

/**
 * What an ambulance crew adds to a Universal Care Plan (issue #14), and its FHIR shape:
 * - 'plan-used': the plan was used at an incident, and whether it was followed → Communication
 * - 'note-for-owner': a note for the plan's author → Communication, recipient the author
 * - 'crew-information': what a future crew needs (a key safe, a changed contact, what helped) →
 *   a new note on the CarePlan itself, an update sent with If-Match: a concurrent change by another
 *   organisation is a conflict for review, never overwritten.
 * Communications are append-only statements about the plan: many crews can add them at once with
 * nothing to conflict, and the plan's owner keeps authority over the plan's own content.
 */
export const CONTRIBUTION_KINDS = ['plan-used', 'crew-information', 'note-for-owner'] as const;
export type ContributionKind = (typeof CONTRIBUTION_KINDS)[number];

export const PLAN_OUTCOMES = ['followed', 'partly-followed', 'not-followed'] as const;
export type PlanOutcome = (typeof PLAN_OUTCOMES)[number];

export const CONTRIBUTION_LABELS: Readonly<Record<ContributionKind, string>> = {
  'plan-used': 'Plan used by an ambulance crew',
  'crew-information': 'Information for future crews',
  'note-for-owner': 'Note for the plan’s owner',
};

export const OUTCOME_LABELS: Readonly<Record<PlanOutcome, string>> = {
  followed: 'Plan followed',
  'partly-followed': 'Plan partly followed',
  'not-followed': 'Plan not followed',
};

export type Contribution = Readonly<{
  kind: ContributionKind;
  outcome: PlanOutcome | null;
  text: string;
  by: StaffRef;
  /** When it was written (ISO). */
  at: string;
  incidentId: string | null;
}>;

const practitioner = (by: StaffRef): Reference<Practitioner> => (by.practitionerId ? { reference: `Practitioner/${by.practitionerId}`, display: by.name } : { display: by.name });

/** The plan with the crew's note added at the end; every other field as the device holds it. */
export function planWithCrewNote(plan: CarePlan, c: Contribution): CarePlan {
  const note: Annotation = { authorReference: practitioner(c.by), time: c.at, text: c.text };
  return { ...plan, note: [...(plan.note ?? []), note] };
}

/** A Communication about the plan: who wrote it, when, for which incident, and what it says. */
export function contributionCommunication(id: string, plan: CarePlan, c: Contribution): Communication {
  const patient = plan.subject?.reference ?? '';
  const payload = [
    ...(c.outcome ? [{ contentString: OUTCOME_LABELS[c.outcome] }] : []),
    ...(c.text ? [{ contentString: c.text }] : []),
  ];
  const recipient = c.kind === 'note-for-owner' && plan.author ? [plan.author] : undefined;
  return {
    resourceType: 'Communication',
    id,
    status: 'completed',
    category: [{ coding: [{ system: SYSTEMS.carePlanContribution, code: c.kind, display: CONTRIBUTION_LABELS[c.kind] }], text: CONTRIBUTION_LABELS[c.kind] }],
    subject: { reference: patient },
    about: [{ reference: `CarePlan/${plan.id ?? ''}` }],
    ...(c.incidentId ? { basedOn: [{ reference: `Task/${c.incidentId}` }] } : {}),
    ...(c.outcome ? { reasonCode: [{ coding: [{ system: SYSTEMS.carePlanOutcome, code: c.outcome, display: OUTCOME_LABELS[c.outcome] }], text: OUTCOME_LABELS[c.outcome] }] } : {}),
    sent: c.at,
    sender: practitioner(c.by),
    ...(recipient ? { recipient } : {}),
    payload,
  };
}

/** The contribution kind a Communication records, or null when it is not one of ours. */
export function contributionKindOf(communication: Communication): ContributionKind | null {
  const code = communication.category?.flatMap((c) => c.coding ?? []).find((c) => c.system === SYSTEMS.carePlanContribution)?.code;
  return (CONTRIBUTION_KINDS as readonly string[]).includes(code ?? '') ? (code as ContributionKind) : null;
}

/** The care plan a Communication is about (its id), if any. */
export function planIdOf(communication: Communication): string | null {
  const ref = communication.about?.map((a) => a.reference ?? '').find((r) => r.startsWith('CarePlan/'));
  return ref ? ref.slice('CarePlan/'.length) : null;
}
