import type { Coding, Encounter, Immunization, Procedure, Reference } from '@medplum/fhirtypes';
import { codingText, conceptText } from '../fhirText';
import type { EventView } from '../views';
import { type Cached, type RecordContext, byNewest, confirmedAtOf, fhirTime, provenance, referenceDisplay, resolve, text } from './common';

/** How many of each kind of history show at once; the rest are a click away. */
export const RECENT_HISTORY = 5;

/** HL7 v3 ActCode encounter classes in plain English. */
const ENCOUNTER_CLASSES: Readonly<Record<string, string>> = {
  AMB: 'Outpatient or clinic visit',
  EMER: 'Emergency',
  IMP: 'Hospital admission',
  ACUTE: 'Hospital admission',
  NONAC: 'Hospital admission',
  SS: 'Day case',
  OBSENC: 'Observation',
  PRENC: 'Pre-admission',
  HH: 'Home visit',
  FLD: 'Field visit',
  VR: 'Virtual consultation',
};

const classText = (coding: Coding | undefined): string | null => (coding?.code ? ENCOUNTER_CLASSES[coding.code] : undefined) ?? codingText(coding);

const join = (parts: readonly (string | null | undefined)[]): string | null => text(parts.filter(Boolean).join(' · '));

/** The first of several references that names an organisation. */
function organisationOf(refs: readonly (Reference | undefined)[], container: Encounter | Procedure | Immunization, ctx: RecordContext): string | null {
  for (const ref of refs) {
    if (!ref) continue;
    const isOrg = ref.type === 'Organization' || ref.reference?.includes('Organization/') || resolve(ref, container, ctx)?.resourceType === 'Organization';
    if (isOrg) return referenceDisplay(ref, container, ctx);
  }
  return null;
}

function encounterView(cached: Cached<Encounter>, ctx: RecordContext): EventView {
  const e = cached.resource;
  const typeText = (e.type ?? []).map(conceptText).find(Boolean) ?? conceptText(e.serviceType);
  const reason = (e.reasonCode ?? []).map(conceptText).filter(Boolean).join(', ');
  return {
    id: e.id ?? '',
    confirmedAt: confirmedAtOf(ctx, cached),
    source: provenance(e, ctx, { people: (e.participant ?? []).map((p) => p.individual), organisations: [e.serviceProvider], at: [e.period?.start] }),
    text: text(typeText ?? classText(e.class)) ?? 'Encounter',
    detail: join([typeText ? classText(e.class) : null, reason ? `Reason: ${reason}` : null]),
    at: fhirTime(e.period?.start),
    organisation: referenceDisplay(e.serviceProvider, e, ctx),
    status: e.status === 'finished' ? null : e.status,
  };
}

function procedureView(cached: Cached<Procedure>, ctx: RecordContext): EventView {
  const p = cached.resource;
  const performers = (p.performer ?? []).flatMap((x) => [x.actor, x.onBehalfOf]);
  return {
    id: p.id ?? '',
    confirmedAt: confirmedAtOf(ctx, cached),
    source: provenance(p, ctx, { people: [p.recorder, p.asserter, ...(p.performer ?? []).map((x) => x.actor)], organisations: (p.performer ?? []).map((x) => x.onBehalfOf) }),
    text: text(conceptText(p.code)) ?? 'Procedure not named in the record',
    detail: join([conceptText(p.outcome), p.performedString, (p.bodySite ?? []).map(conceptText).filter(Boolean).join(', ')]),
    at: fhirTime(p.performedDateTime ?? p.performedPeriod?.start),
    organisation: organisationOf(performers, p, ctx) ?? referenceDisplay(p.location, p, ctx),
    status: p.status === 'completed' ? null : p.status,
  };
}

function immunizationView(cached: Cached<Immunization>, ctx: RecordContext): EventView {
  const i = cached.resource;
  const dose = i.protocolApplied?.[0]?.doseNumberPositiveInt ?? i.protocolApplied?.[0]?.doseNumberString;
  return {
    id: i.id ?? '',
    confirmedAt: confirmedAtOf(ctx, cached),
    source: provenance(i, ctx, { people: (i.performer ?? []).map((x) => x.actor), at: [i.recorded] }),
    text: text(conceptText(i.vaccineCode)) ?? 'Vaccine not named in the record',
    detail: join([dose === undefined ? null : `Dose ${dose}`, i.status === 'not-done' ? conceptText(i.statusReason) : null]),
    at: fhirTime(i.occurrenceDateTime ?? i.recorded),
    organisation: organisationOf((i.performer ?? []).map((x) => x.actor), i, ctx) ?? referenceDisplay(i.location, i, ctx),
    status: i.status === 'completed' ? null : i.status,
  };
}

type Split = { recent: EventView[]; earlier: EventView[] };
const split = (views: EventView[]): Split => {
  const sorted = [...views].sort(byNewest((v) => v.at));
  return { recent: sorted.slice(0, RECENT_HISTORY), earlier: sorted.slice(RECENT_HISTORY) };
};

/** Encounters, newest first; entered-in-error and cancelled ones (which did not happen) are not shown. */
export const encounterViews = (list: readonly Cached<Encounter>[], ctx: RecordContext): Split =>
  split(list.filter((e) => e.resource.status !== 'entered-in-error' && e.resource.status !== 'cancelled').map((e) => encounterView(e, ctx)));

/** Procedures, newest first; entered-in-error never shown; not done ones marked by their status. */
export const procedureViews = (list: readonly Cached<Procedure>[], ctx: RecordContext): Split =>
  split(list.filter((p) => p.resource.status !== 'entered-in-error').map((p) => procedureView(p, ctx)));

/** Immunisations, newest first; entered-in-error never shown; not done ones marked by their status. */
export const immunizationViews = (list: readonly Cached<Immunization>[], ctx: RecordContext): Split =>
  split(list.filter((i) => i.resource.status !== 'entered-in-error').map((i) => immunizationView(i, ctx)));
