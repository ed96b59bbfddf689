import type { AllergyIntolerance, AllergyIntoleranceReaction } from '@medplum/fhirtypes';
import { SYSTEMS } from '../fhirCodes';
import { conceptText } from '../fhirText';
import type { AllergyStatementView, AllergyView, ReactionView } from '../views';
import { NO_KNOWN_ALLERGY_CODES, SNOMED_ANAPHYLAXIS } from './codes';
import { type Cached, type RecordContext, confirmedAtOf, fhirTime, provenance, statusCode, text } from './common';

const SEVERITY_RANK: Readonly<Record<string, number>> = { severe: 0, moderate: 1, mild: 2 };

const isAnaphylaxis = (reaction: AllergyIntoleranceReaction): boolean =>
  (reaction.manifestation ?? []).some(
    (m) => m.coding?.some((c) => c.system === SYSTEMS.snomed && c.code === SNOMED_ANAPHYLAXIS) || /anaphyla/i.test(conceptText(m) ?? ''),
  );

function reactionView(reaction: AllergyIntoleranceReaction): ReactionView {
  return {
    manifestations: (reaction.manifestation ?? []).map((m) => text(conceptText(m))).filter((m): m is string => m !== null),
    severity: reaction.severity ?? null,
    isAnaphylaxis: isAnaphylaxis(reaction),
    substance: text(conceptText(reaction.substance)),
    description: text(reaction.description),
    onset: fhirTime(reaction.onset),
  };
}

/** Anaphylaxis first, then severe, moderate, mild, then reactions of unrecorded severity. */
const reactionRank = (r: ReactionView): number => (r.isAnaphylaxis ? -1 : SEVERITY_RANK[r.severity ?? ''] ?? 3);

/** Every reaction, most severe first (the bug: an anaphylaxis hidden behind the first reaction listed). */
export function sortedReactions(reactions: readonly AllergyIntoleranceReaction[] | undefined): ReactionView[] {
  return (reactions ?? [])
    .map(reactionView)
    .filter((r) => r.manifestations.length > 0 || r.description !== null)
    .sort((a, b) => reactionRank(a) - reactionRank(b));
}

type Verification = AllergyView['verification'];
const SHOWN_VERIFICATION: ReadonlySet<string> = new Set(['unconfirmed', 'presumed', 'confirmed']);

function allergyView(cached: Cached<AllergyIntolerance>, ctx: RecordContext): AllergyView {
  const allergy = cached.resource;
  const reactions = sortedReactions(allergy.reaction);
  const verification = statusCode(allergy.verificationStatus);
  return {
    id: allergy.id ?? '',
    confirmedAt: confirmedAtOf(ctx, cached),
    source: provenance(allergy, ctx, { people: [allergy.recorder, allergy.asserter], at: [allergy.recordedDate] }),
    substance: text(conceptText(allergy.code)) ?? text(reactions.find((r) => r.substance)?.substance) ?? 'Substance not recorded',
    reaction: reactions[0]?.manifestations.join(', ') || reactions[0]?.description || null,
    reactions: reactions.slice(0, 20),
    criticality: allergy.criticality ?? null,
    type: allergy.type ?? null,
    categories: allergy.category ?? [],
    verification: SHOWN_VERIFICATION.has(verification ?? '') ? (verification as Verification) : null,
    clinicalStatus: statusCode(allergy.clinicalStatus) ?? null,
    notes: (allergy.note ?? []).map((n) => text(n.text)).filter((n): n is string => n !== null).slice(0, 10),
  };
}

const CRITICALITY_RANK: Readonly<Record<string, number>> = { high: 0, 'unable-to-assess': 1, low: 2 };
const allergyRank = (a: AllergyView): number =>
  (a.reactions.some((r) => r.isAnaphylaxis) ? -10 : 0) + (CRITICALITY_RANK[a.criticality ?? ''] ?? 1) + (a.reactions[0]?.severity === 'severe' ? -1 : 0);

/** The "no known allergy" situation a coded allergy states, if it is one. */
const noKnownAllergyText = (allergy: AllergyIntolerance): string | undefined => {
  const coding = allergy.code?.coding?.find((c) => c.system === SYSTEMS.snomed && c.code && NO_KNOWN_ALLERGY_CODES[c.code]);
  return coding?.code ? NO_KNOWN_ALLERGY_CODES[coding.code] : undefined;
};

export type AllergyViews = { current: AllergyView[]; statements: AllergyStatementView[]; past: AllergyView[] };

/**
 * Allergies as a crew must read them: entered-in-error never shown; "no known allergy" codes and
 * refuted allergies as statements, never as allergies; clinicalStatus active (or absent, as R4
 * allows only for entered-in-error) as live; inactive and resolved as past; the most dangerous first.
 */
export function allergyViews(allergies: readonly Cached<AllergyIntolerance>[], ctx: RecordContext): AllergyViews {
  const result: AllergyViews = { current: [], statements: [], past: [] };
  for (const cached of allergies) {
    const allergy = cached.resource;
    const verification = statusCode(allergy.verificationStatus);
    if (verification === 'entered-in-error') continue;
    const clinical = statusCode(allergy.clinicalStatus);
    const isLive = clinical === undefined || clinical === 'active';
    const statementBase = { id: allergy.id ?? '', confirmedAt: confirmedAtOf(ctx, cached), source: provenance(allergy, ctx, { people: [allergy.recorder, allergy.asserter], at: [allergy.recordedDate] }) };
    const noKnown = noKnownAllergyText(allergy);
    if (noKnown) {
      if (isLive) result.statements.push({ ...statementBase, kind: 'no-known-allergy', text: noKnown });
    } else if (verification === 'refuted') {
      const substance = text(conceptText(allergy.code)) ?? 'an allergy';
      result.statements.push({ ...statementBase, kind: 'refuted', text: `Ruled out: ${substance}` });
    } else {
      (isLive ? result.current : result.past).push(allergyView(cached, ctx));
    }
  }
  result.current.sort((a, b) => allergyRank(a) - allergyRank(b));
  return result;
}
