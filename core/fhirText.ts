import type { Address, CodeableConcept, Coding, HumanName, Narrative, Reference } from '@medplum/fhirtypes';
import { chooseName, formatName } from './record/names';

/** Best human-readable text of a CodeableConcept: its text, else the first coding's display, else a code. */
export function conceptText(concept: CodeableConcept | undefined): string | null {
  if (!concept) return null;
  if (concept.text?.trim()) return concept.text.trim();
  const display = concept.coding?.find((c) => c.display?.trim())?.display?.trim();
  return display ?? concept.coding?.find((c) => c.code)?.code ?? null;
}

/** A Coding's display, else its code. */
export const codingText = (coding: Coding | undefined): string | null => coding?.display?.trim() || coding?.code || null;

/** True when the concept carries the given system and code. */
export function hasCoding(concept: CodeableConcept | undefined, system: string, code?: string): boolean {
  return Boolean(concept?.coding?.some((c) => c.system === system && (code === undefined || c.code === code)));
}

/** The code a concept carries in a system, if any. */
export function codeIn(concepts: readonly CodeableConcept[] | undefined, system: string): string | undefined {
  for (const concept of concepts ?? []) {
    const found = concept.coding?.find((c) => c.system === system)?.code;
    if (found) return found;
  }
  return undefined;
}

/**
 * "Given FAMILY" as NHS screens print names: the name in use now, official or usual first
 * (core/record/names.ts has the rules).
 */
export function displayName(names: readonly HumanName[] | undefined, now: Date = new Date()): string {
  const name = chooseName(names, now);
  return (name && formatName(name)) || 'Name not recorded';
}

export function addressText(addresses: readonly Address[] | undefined): string | null {
  const address = addresses?.find((a) => a.use === 'home') ?? addresses?.[0];
  if (!address) return null;
  if (address.text) return address.text;
  const parts = [...(address.line ?? []), address.city, address.postalCode].filter((p): p is string => Boolean(p));
  return parts.length ? parts.join(', ') : null;
}

/** The id part of a relative reference like "Patient/123"; undefined for other shapes. */
export function referenceId(reference: Reference | undefined, resourceType: string): string | undefined {
  const ref = reference?.reference;
  if (!ref) return undefined;
  const [type, id] = ref.split('/');
  return type === resourceType && id ? id : undefined;
}

/**
 * At most `max` characters, cut at a word where possible, with an ellipsis. View schemas bound
 * every text, and the renderer refuses a record that breaks them: one long note must not hide
 * the whole record.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const BLOCK_TAGS = /^(p|div|br|li|tr|h[1-6]|table|ul|ol|dt|dd|blockquote|pre|hr)$/i;

function decodeEntity(entity: string): string {
  const named = ENTITIES[entity.toLowerCase()];
  if (named !== undefined) return named;
  const hex = /^#x([0-9a-f]{1,6})$/i.exec(entity);
  const dec = /^#(\d{1,7})$/.exec(entity);
  const code = hex?.[1] ? Number.parseInt(hex[1], 16) : dec?.[1] ? Number(dec[1]) : Number.NaN;
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : `&${entity};`;
}

/**
 * The plain text of a FHIR narrative (XHTML `text.div`), for content that exists only there. Tags
 * are dropped (block tags become line breaks), script and style content is dropped, entities are
 * decoded once; the result is text for React to escape, never HTML to render.
 * @example narrativeText({ status: 'generated', div: '<div><p>Call the hospice</p></div>' }) // 'Call the hospice'
 */
export function narrativeText(narrative: Narrative | undefined): string | null {
  const div = narrative?.div;
  if (!div) return null;
  const withoutCode = div.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ');
  const lines = withoutCode
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\/?([a-z][a-z0-9]*)\b[^>]*>/gi, (_tag, name: string) => (BLOCK_TAGS.test(name) ? '\n' : ' '))
    .replace(/<[^>]*>?/g, ' ')
    .replace(/&([a-z]+|#x[0-9a-f]+|#\d+);/gi, (_m, entity: string) => decodeEntity(entity))
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  return lines.length ? lines.join('\n') : null;
}

/**
 * A label from a URL's last segment, acronyms kept.
 * @example labelFromUrl('https://x/StructureDefinition/Extension-UKCore-CeilingOfTreatment') // 'Ceiling of treatment'
 * @example labelFromUrl('https://x/Questionnaire/EOLPlan') // 'EOL plan'
 */
export function labelFromUrl(url: string | undefined): string | null {
  const last = (url ?? '').split(/[/#]/).filter(Boolean).pop();
  if (!last) return null;
  const words = last
    .replace(/^(extension|ext|structuredefinition)[-_.]?/i, '')
    .replace(/^(ukcore|uk-core)[-_.]?/i, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[-_.\s]+/)
    .filter(Boolean)
    .map((w) => (w.length > 1 && w === w.toUpperCase() ? w : w.toLowerCase()));
  const label = words.join(' ');
  return label ? label.charAt(0).toUpperCase() + label.slice(1) : null;
}

/** The host of a URL ("https://fhir.example.org/x" -> "fhir.example.org"), or null when it is not one. */
export function urlHost(url: string | undefined): string | null {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#:@]+)/i.exec(url ?? '');
  return match?.[1]?.toLowerCase() ?? null;
}
