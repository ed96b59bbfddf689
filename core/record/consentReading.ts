import type { CodeableConcept, Consent, ConsentProvision, Extension } from '@medplum/fhirtypes';
import { SNOMED_CPR, SYSTEMS } from '../fhirCodes';
import { codeIn, codingText, conceptText, labelFromUrl } from '../fhirText';
import { RECORD_SYSTEMS, SNOMED_FOR_RESUSCITATION, SNOMED_NOT_FOR_RESUSCITATION } from './codes';
import { text } from './common';

/** Which way a Consent decides CPR: not for, for, or it is about CPR but does not say which way. */
export type CprDirection = 'not-for-cpr' | 'for-cpr' | 'unknown';

type Node = Readonly<{ provision: ConsentProvision; type: ConsentProvision['type'] }>;

/** Every provision at any depth, with the type it inherits from its parents when it has none. */
export function provisionNodes(root: ConsentProvision | undefined): Node[] {
  const out: Node[] = [];
  const walk = (p: ConsentProvision | undefined, inherited: ConsentProvision['type'], depth: number) => {
    if (!p || depth > 8) return;
    const type = p.type ?? inherited;
    out.push({ provision: p, type });
    for (const child of p.provision ?? []) walk(child, type, depth + 1);
  };
  walk(root, undefined, 0);
  return out;
}

const snomedIn = (concepts: readonly CodeableConcept[] | undefined, code: string): boolean =>
  (concepts ?? []).some((c) => c.coding?.some((x) => x.system === SYSTEMS.snomed && x.code === code));

/** Every concept the Consent is about: its categories and every provision's codes. */
const allConcepts = (consent: Consent): CodeableConcept[] => [...(consent.category ?? []), ...provisionNodes(consent.provision).flatMap((n) => n.provision.code ?? [])];

/**
 * Whether a Consent records a resuscitation decision, and which way:
 * - "Not for resuscitation" (SNOMED 304253006) or "For resuscitation" (304252001) as a category or
 *   provision code, as the GECCO DNR profile sends it (no provision.type);
 * - the CPR procedure (89666000) at any provision depth, permitted or denied by that provision's
 *   type, inherited from its parents when it has none;
 * - an HL7 "dnr" category or our own decision code with neither: about CPR, direction unknown,
 *   except our DNACPR code, which is a decision not to attempt CPR.
 * Returns null when the Consent is not about resuscitation.
 */
export function cprDirection(consent: Consent): CprDirection | null {
  const concepts = allConcepts(consent);
  const notFor = snomedIn(concepts, SNOMED_NOT_FOR_RESUSCITATION);
  const isFor = snomedIn(concepts, SNOMED_FOR_RESUSCITATION);
  if (notFor || isFor) return notFor && isFor ? 'unknown' : notFor ? 'not-for-cpr' : 'for-cpr';
  const cprTypes = new Set(provisionNodes(consent.provision).filter((n) => snomedIn(n.provision.code, SNOMED_CPR)).map((n) => n.type));
  const ourKind = codeIn(consent.category, SYSTEMS.resusDecision);
  if (cprTypes.size > 0) {
    if (cprTypes.size > 1) return 'unknown';
    const [type] = [...cprTypes];
    if (type === 'deny') return 'not-for-cpr';
    if (type === 'permit') return ourKind === 'dnacpr' ? 'unknown' : 'for-cpr';
    return ourKind === 'dnacpr' ? 'not-for-cpr' : 'unknown';
  }
  if (ourKind === 'dnacpr') return 'not-for-cpr';
  if (ourKind || codeIn(consent.category, RECORD_SYSTEMS.consentCategory) === 'dnr') return 'unknown';
  return null;
}

const RESPECT = /\b(ReSPECT|RESPECT)\b/;

/** The form a decision was recorded on: ReSPECT (our code or its name anywhere), DNACPR, or another. */
export function decisionForm(consent: Consent): 'dnacpr' | 'respect' | 'other' {
  const ourKind = codeIn(consent.category, SYSTEMS.resusDecision);
  if (ourKind === 'respect') return 'respect';
  if (ourKind === 'dnacpr') return 'dnacpr';
  const words = [...(consent.category ?? []).map(conceptText), consent.policyRule?.text, consent.sourceAttachment?.title].join(' ');
  if (RESPECT.test(words)) return 'respect';
  return /\b(dnacpr|dnar)\b/i.test(words) ? 'dnacpr' : 'other';
}

/** Codes that are the decision itself, not a further treatment. */
const DECISION_CODES = new Set([SNOMED_CPR, SNOMED_NOT_FOR_RESUSCITATION, SNOMED_FOR_RESUSCITATION]);

/** Treatments besides CPR that the decision permits or denies (ceilings of treatment), at any depth. */
export function otherTreatments(consent: Consent): { isRecommended: boolean; text: string }[] {
  return provisionNodes(consent.provision).flatMap(({ provision, type }) =>
    (provision.code ?? [])
      .filter((c) => !c.coding?.some((x) => x.system === SYSTEMS.snomed && DECISION_CODES.has(x.code ?? '')))
      .map((c) => ({ type, label: text(conceptText(c)) }))
      .filter((t): t is { type: 'deny' | 'permit'; label: string } => t.label !== null && t.type !== undefined)
      .map((t) => ({ isRecommended: t.type === 'permit', text: t.label })),
  ).slice(0, 20);
}

function extensionValue(ext: Extension): string | null {
  const scalar = ext.valueString ?? ext.valueMarkdown ?? ext.valueCode ?? ext.valueDate ?? ext.valueDateTime ?? ext.valueUri;
  if (scalar !== undefined) return text(String(scalar));
  if (ext.valueBoolean !== undefined) return ext.valueBoolean ? 'Yes' : 'No';
  if (ext.valueCodeableConcept) return text(conceptText(ext.valueCodeableConcept));
  if (ext.valueCoding) return text(codingText(ext.valueCoding));
  if (ext.valueReference) return text(ext.valueReference.display);
  if (ext.valueInteger !== undefined || ext.valueDecimal !== undefined) return String(ext.valueInteger ?? ext.valueDecimal);
  return null;
}

/**
 * What the decision's extensions hold (ReSPECT clinical recommendations, preferences, ceilings),
 * labelled by their URL; complex extensions are read one level down. Our decision note is shown
 * on its own and left out here.
 */
export function extensionDetails(extensions: readonly Extension[] | undefined): { label: string; value: string }[] {
  const out: { label: string; value: string }[] = [];
  for (const ext of extensions ?? []) {
    if (ext.url === SYSTEMS.decisionNote) continue;
    const label = text(labelFromUrl(ext.url), 200) ?? 'Detail';
    const value = extensionValue(ext);
    if (value) out.push({ label, value });
    for (const sub of ext.extension ?? []) {
      const subValue = extensionValue(sub);
      if (subValue) out.push({ label: text(`${label}: ${(labelFromUrl(sub.url) ?? '').toLowerCase()}`, 400) ?? label, value: subValue });
    }
  }
  return out.slice(0, 20);
}
