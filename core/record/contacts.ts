import type { CareTeam, CodeableConcept, ContactPoint, Patient, RelatedPerson, Resource } from '@medplum/fhirtypes';
import { conceptText } from '../fhirText';
import type { ContactView } from '../views';
import { RELATIONSHIP_LABELS } from './codes';
import { type Cached, type RecordContext, confirmedAtOf, provenance, referenceDisplay, resolve, text } from './common';
import { chooseName, formatName, isOutsidePeriod } from './names';

/** "Daughter, Next of kin": each relationship's text, coding display, or our word for its code. */
function relationshipText(concepts: readonly CodeableConcept[] | undefined): string | null {
  const words = (concepts ?? []).map((c) => {
    const coding = c.coding?.find((x) => x.code);
    return conceptText({ ...c, coding: c.coding?.filter((x) => x.display) }) ?? (coding?.code ? RELATIONSHIP_LABELS[coding.code] ?? coding.code : null);
  });
  return text([...new Set(words.filter(Boolean))].join(', '));
}

/** Phone numbers in use now, best ranked first. */
function phonesOf(telecom: readonly ContactPoint[] | undefined, now: Date): ContactView['phones'] {
  return (telecom ?? [])
    .filter((t) => (t.system === 'phone' || t.system === 'sms') && t.value?.trim() && t.use !== 'old' && !isOutsidePeriod(t.period, now))
    .sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99))
    .slice(0, 3)
    .map((t) => ({ value: text(t.value, 100) ?? '', use: t.use ?? null }));
}

const telecomOf = (resource: Resource | undefined): readonly ContactPoint[] | undefined =>
  resource && 'telecom' in resource ? (resource.telecom as ContactPoint[] | undefined) : undefined;

function relatedPersonView(cached: Cached<RelatedPerson>, ctx: RecordContext): ContactView {
  const person = cached.resource;
  const name = chooseName(person.name, ctx.now);
  return {
    id: person.id ?? '',
    confirmedAt: confirmedAtOf(ctx, cached),
    source: provenance(person, ctx, {}),
    kind: 'related-person',
    name: text(name ? formatName(name) : null) ?? 'Name not recorded',
    relationship: relationshipText(person.relationship),
    phones: phonesOf(person.telecom, ctx.now),
    organisation: null,
    team: null,
  };
}

/** Each participant of an active care team in post now, except the patient themselves. */
function careTeamViews(cached: Cached<CareTeam>, ctx: RecordContext): ContactView[] {
  const team = cached.resource;
  if (team.status && team.status !== 'active') return [];
  if (isOutsidePeriod(team.period, ctx.now)) return [];
  const managing = referenceDisplay(team.managingOrganization?.[0], team, ctx);
  return (team.participant ?? []).flatMap((p, index) => {
    if (!p.member || p.member.reference?.includes('Patient/') || isOutsidePeriod(p.period, ctx.now)) return [];
    const member = resolve(p.member, team, ctx);
    const memberPhones = phonesOf(telecomOf(member), ctx.now);
    return [{
      id: `${team.id ?? ''}#${index}`,
      confirmedAt: confirmedAtOf(ctx, cached),
      source: provenance(team, ctx, { organisations: team.managingOrganization ?? [] }),
      kind: 'care-team' as const,
      name: referenceDisplay(p.member, team, ctx) ?? 'Name not recorded',
      relationship: relationshipText(p.role),
      phones: memberPhones.length ? memberPhones : phonesOf(team.telecom, ctx.now),
      organisation: referenceDisplay(p.onBehalfOf, team, ctx) ?? managing,
      team: text(team.name),
    }];
  });
}

/** Patient.contact entries (next of kin, emergency contacts) in force now. */
function patientContactViews(patient: Cached<Patient>, ctx: RecordContext): ContactView[] {
  return (patient.resource.contact ?? []).flatMap((c, index) => {
    if (isOutsidePeriod(c.period, ctx.now)) return [];
    const name = c.name ? formatName(c.name) : null;
    const organisation = referenceDisplay(c.organization, patient.resource, ctx);
    const shown = text(name) ?? organisation;
    if (!shown) return [];
    return [{
      id: `${patient.resource.id ?? ''}#contact-${index}`,
      confirmedAt: confirmedAtOf(ctx, patient),
      source: provenance(patient.resource, ctx, {}),
      kind: 'patient-contact' as const,
      name: shown,
      relationship: relationshipText(c.relationship),
      phones: phonesOf(c.telecom, ctx.now),
      organisation: shown === organisation ? null : organisation,
      team: null,
    }];
  });
}

/**
 * The people to contact: the patient's own contacts, related people (active, in period), then
 * care team members. Email and postal addresses are not shown: a crew phones.
 */
export function contactViews(
  patient: Cached<Patient>,
  related: readonly Cached<RelatedPerson>[],
  teams: readonly Cached<CareTeam>[],
  ctx: RecordContext,
): ContactView[] {
  const people = related.filter((r) => r.resource.active !== false && !isOutsidePeriod(r.resource.period, ctx.now)).map((r) => relatedPersonView(r, ctx));
  return [...patientContactViews(patient, ctx), ...people, ...teams.flatMap((t) => careTeamViews(t, ctx))].slice(0, 50);
}
