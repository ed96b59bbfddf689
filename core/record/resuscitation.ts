import type { Consent } from '@medplum/fhirtypes';
import { SYSTEMS } from '../fhirCodes';
import { codeIn, conceptText } from '../fhirText';
import type { RelatedRecordView, ResuscitationStatus, ResuscitationView } from '../views';
import { RECORD_SYSTEMS } from './codes';
import { type Cached, type RecordContext, fhirTime, isPast, laterOf, referenceDisplay, text, timeMs } from './common';
import { type CprDirection, cprDirection, decisionForm, extensionDetails, otherTreatments, provisionNodes } from './consentReading';

/** What resuscitationView needs beyond the Consents. */
export type ResuscitationFacts = Readonly<{
  now: Date;
  staleAfterMs: number;
  /** When the Consent pull last covered this patient (the later of the two facts that say so). */
  consentConfirmedAt: string | null;
  unreadableTypes: readonly string[];
  /** Consents may be among what the central record holds but this device does not. */
  isConsentWithheld: boolean;
  related: readonly RelatedRecordView[];
  uncheckedSources: readonly string[];
  ctx: RecordContext;
}>;

/** A time that cannot be read is stale: "may have changed" is the safe reading of "unknown". */
export const isStaleAt = (confirmedAt: string | null, now: Date, staleAfterMs: number): boolean => {
  const at = timeMs(confirmedAt);
  return !Number.isFinite(at) || !(now.getTime() - at <= staleAfterMs);
};

const hasEnded = (consent: Consent, now: Date): boolean => isPast(consent.provision?.period?.end, now);

type Decision = 'dnacpr' | 'respect-not-for-cpr' | 'respect-for-cpr';

function decisionOf(consent: Consent, direction: 'not-for-cpr' | 'for-cpr'): Decision {
  if (direction === 'for-cpr') return 'respect-for-cpr';
  return decisionForm(consent) === 'respect' ? 'respect-not-for-cpr' : 'dnacpr';
}

const HEADLINES: Readonly<Record<Decision, string>> = {
  dnacpr: 'DNACPR: do not attempt CPR',
  'respect-not-for-cpr': 'ReSPECT: CPR not recommended',
  'respect-for-cpr': 'ReSPECT: for CPR',
};
/** A for-CPR decision not on a ReSPECT form must not be called one. */
const headlineOf = (consent: Consent, decision: Decision): string =>
  decision === 'respect-for-cpr' && decisionForm(consent) !== 'respect' ? 'For CPR: attempt resuscitation' : HEADLINES[decision];

const RELATED_HEADLINE = 'No DNACPR or ReSPECT decision found, but an end-of-life plan or advance decision is recorded: read it below';

type Undecided = Exclude<ResuscitationStatus, Decision>;

function emptyView(status: Undecided, headline: string, facts: ResuscitationFacts, confirmedAt: string | null, note: string | null = null): ResuscitationView {
  const isNone = status === 'none-recorded';
  return {
    status,
    headline: facts.related.length && (isNone || status === 'not-yet-confirmed') ? RELATED_HEADLINE : headline,
    decidedAt: null,
    decidedBy: null,
    note,
    confirmedAt,
    // Only a confirmed absence can be fresh; every other non-decision always says "check".
    isPossiblyStale: isNone ? isStaleAt(confirmedAt, facts.now, facts.staleAfterMs) : true,
    organisation: null,
    decisionForm: null,
    details: [],
    treatments: [],
    people: [],
    form: null,
    related: [...facts.related],
    uncheckedSources: [...facts.uncheckedSources],
  };
}

/** Who the decision was discussed with (Consent.verification) and who it names (provision.actor). */
function peopleOf(consent: Consent, ctx: RecordContext): ResuscitationView['people'] {
  const verified = (consent.verification ?? []).flatMap((v) => {
    const name = referenceDisplay(v.verifiedWith, consent, ctx);
    return name ? [{ name, role: 'Discussed with' }] : [];
  });
  const actors = provisionNodes(consent.provision).flatMap((n) =>
    (n.provision.actor ?? []).flatMap((a) => {
      const name = referenceDisplay(a.reference, consent, ctx);
      return name ? [{ name, role: text(conceptText(a.role)) }] : [];
    }),
  );
  return [...verified, ...actors].slice(0, 10);
}

function decisionView(current: Cached<Consent>, decision: Decision, facts: ResuscitationFacts): ResuscitationView {
  const consent = current.resource;
  const { ctx } = facts;
  const confirmedAt = fhirTime(laterOf(facts.consentConfirmedAt, current.syncedAt));
  return {
    status: decision,
    headline: headlineOf(consent, decision),
    decidedAt: fhirTime(consent.dateTime),
    decidedBy: referenceDisplay(consent.performer?.[0], consent, ctx),
    note: text(consent.extension?.find((e) => e.url === SYSTEMS.decisionNote)?.valueString),
    confirmedAt,
    isPossiblyStale: isStaleAt(confirmedAt, facts.now, facts.staleAfterMs),
    organisation: referenceDisplay(consent.organization?.[0], consent, ctx),
    decisionForm: decisionForm(consent),
    details: extensionDetails(consent.extension),
    treatments: otherTreatments(consent),
    people: peopleOf(consent, ctx),
    form: text(consent.sourceAttachment?.title) ?? referenceDisplay(consent.sourceReference, consent, ctx),
    related: [...facts.related],
    uncheckedSources: [...facts.uncheckedSources],
  };
}

/** Newest first by instant; undated or unreadable dates last (string order misreads time zones and partial dates). */
const decidedMs = (c: Cached<Consent>): number => {
  const ms = timeMs(c.resource.dateTime);
  return Number.isFinite(ms) ? ms : -Infinity;
};

type Reading = Readonly<{ cached: Cached<Consent>; direction: CprDirection }>;

/** Active, unexpired Consents about resuscitation, newest first. */
export function activeResuscitationConsents(consents: readonly Cached<Consent>[], now: Date): Reading[] {
  return consents
    .filter((c) => c.resource.status === 'active' && !hasEnded(c.resource, now))
    .flatMap((cached) => {
      const direction = cprDirection(cached.resource);
      return direction ? [{ cached, direction }] : [];
    })
    .sort((a, b) => decidedMs(b.cached) - decidedMs(a.cached));
}

/**
 * The resuscitation decision that applies now: the active, unexpired Consent about CPR. Anything
 * short of one clear decision says so and never reads as a decision or as a confirmed absence:
 * a Consent that could not be read, is withheld, or does not say which way ('unreadable'); active
 * decisions that disagree ('conflicting'); no decision when the patient's Consents were never
 * fetched complete ('not-yet-confirmed'). Beside "none", other records that may hold a decision
 * (end-of-life plans, forms, advance decisions) change the headline so it never reads "none".
 */
export function resuscitationFromConsents(consents: readonly Cached<Consent>[], facts: ResuscitationFacts): ResuscitationView {
  const active = activeResuscitationConsents(consents, facts.now);
  const readable = active.filter((r): r is Reading & { direction: 'not-for-cpr' | 'for-cpr' } => r.direction !== 'unknown');
  const current = readable[0];
  const also = current ? `A readable record says: ${headlineOf(current.cached.resource, decisionOf(current.cached.resource, current.direction))}.` : null;
  const confirmed = facts.consentConfirmedAt;
  if (facts.unreadableTypes.includes('Consent')) {
    // The unreadable record may be the newest decision: show none of the readable ones as "the" decision.
    return emptyView('unreadable', 'A resuscitation record could not be read — check other sources', facts, current?.cached.syncedAt ?? confirmed, also);
  }
  if (active.some((r) => r.direction === 'unknown')) {
    return emptyView('unreadable', 'A resuscitation record does not say whether CPR should be attempted — check other sources', facts, confirmed, also);
  }
  if (facts.isConsentWithheld) {
    return emptyView('unreadable', 'Restricted information may include a resuscitation decision — check other sources', facts, confirmed, also);
  }
  const decisions = new Set(readable.map((r) => r.direction));
  if (decisions.size > 1) {
    const oldest = readable.map((r) => r.cached.syncedAt).sort()[0] ?? null;
    return emptyView('conflicting', 'Both a for-CPR and a not-for-CPR decision are recorded — check the paper form', facts, oldest);
  }
  if (!current) {
    if (confirmed === null) return emptyView('not-yet-confirmed', 'Resuscitation decision not yet confirmed — check other sources', facts, null);
    return emptyView('none-recorded', 'No resuscitation decision recorded', facts, confirmed);
  }
  return decisionView(current.cached, decisionOf(current.cached.resource, current.direction), facts);
}

/** Consent categories and scopes that make an advance decision or directive (HL7 consentcategorycodes, scope adr). */
const ADVANCE_CATEGORIES = new Set(['acd', 'hcd', 'polst']);

/**
 * Advance decisions to refuse treatment and other advance directives that are not a CPR decision,
 * as related records for the resuscitation panel: what they refuse or agree to, quoted.
 */
export function advanceDecisions(consents: readonly Cached<Consent>[], now: Date): RelatedRecordView[] {
  return consents
    .filter(({ resource: c }) => c.status === 'active' && !hasEnded(c, now) && cprDirection(c) === null)
    .filter(({ resource: c }) => codeIn(c.scope ? [c.scope] : [], SYSTEMS.consentScope) === 'adr' || ADVANCE_CATEGORIES.has(codeIn(c.category, RECORD_SYSTEMS.consentCategory) ?? ''))
    .map(({ resource: c }) => {
      const category = (c.category ?? []).map(conceptText).find((t) => t && !/^(adr|acd)$/i.test(t));
      const refuses = provisionNodes(c.provision).flatMap(({ provision, type }) =>
        (provision.code ?? []).map((code) => conceptText(code)).filter(Boolean).map((t) => `${type === 'permit' ? 'Agrees to' : type === 'deny' ? 'Refuses' : 'About'}: ${t}`),
      );
      const summary = [...refuses, c.sourceAttachment?.title ? `Form: ${c.sourceAttachment.title}` : null]
        .map((s) => text(s))
        .filter((s): s is string => s !== null)
        .slice(0, 6);
      return { kind: 'advance-decision' as const, text: text(category) ?? 'Advance decision to refuse treatment', where: 'Resuscitation decision', summary };
    });
}
