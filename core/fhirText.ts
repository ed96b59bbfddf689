import type { CodeableConcept, HumanName, Address, Reference } from '@medplum/fhirtypes';

/** Best human-readable text of a CodeableConcept: its text, else the first coding's display. */
export function conceptText(concept: CodeableConcept | undefined): string | null {
  if (!concept) return null;
  if (concept.text) return concept.text;
  const display = concept.coding?.find((c) => c.display)?.display;
  return display ?? concept.coding?.[0]?.code ?? null;
}

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

/** "Given FAMILY" as NHS screens print names, preferring the official name. */
export function displayName(names: readonly HumanName[] | undefined): string {
  const name = names?.find((n) => n.use === 'official') ?? names?.[0];
  if (!name) return 'Name not recorded';
  if (name.text) return name.text;
  const given = (name.given ?? []).join(' ');
  const family = (name.family ?? '').toUpperCase();
  return [given, family].filter(Boolean).join(' ') || 'Name not recorded';
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
