import type { HumanName, Identifier, Period } from '@medplum/fhirtypes';
import { IDENTIFIER_LABELS } from './codes';

/** True when the period has not started yet or has ended; an open or unreadable bound does not close it. */
export function isOutsidePeriod(period: Period | undefined, now: Date): boolean {
  const start = Date.parse(period?.start ?? '');
  const end = Date.parse(period?.end ?? '');
  return (Number.isFinite(start) && start > now.getTime()) || (Number.isFinite(end) && end < now.getTime());
}

/**
 * Which name a crew should call the patient by (https://hl7.org/fhir/R4/patient.html#maxcard):
 * in use now (period) before ended ones, official or usual before nickname, then anything but
 * old, maiden or temp names, which are kept only as a last resort.
 */
const USE_RANK: Readonly<Record<string, number>> = { official: 0, usual: 1, nickname: 2, anonymous: 3, temp: 4, maiden: 5, old: 6 };
const NO_USE_RANK = 2;

const hasParts = (name: HumanName): boolean => Boolean(name.family?.trim() || name.given?.some((g) => g.trim()));

/** The name in use now, by the rules above; undefined when there is none with any text. */
export function chooseName(names: readonly HumanName[] | undefined, now: Date): HumanName | undefined {
  const usable = (names ?? []).filter((n) => hasParts(n) || n.text?.trim());
  const rank = (n: HumanName) => (isOutsidePeriod(n.period, now) ? 10 : 0) + (n.use ? USE_RANK[n.use] ?? NO_USE_RANK : NO_USE_RANK);
  return [...usable].sort((a, b) => rank(a) - rank(b))[0];
}

/**
 * "Dr Ada Mary JONES OBE": prefix, given names, family name in capitals, suffix. `text` is used only
 * when the name has no parts: a text that holds just the given name must not lose the surname.
 */
export function formatName(name: HumanName): string {
  if (!hasParts(name)) return name.text?.trim() ?? '';
  const parts = [
    ...(name.prefix ?? []),
    ...(name.given ?? []),
    name.family?.trim().toUpperCase(),
    ...(name.suffix ?? []),
  ];
  return parts
    .map((p) => p?.trim())
    .filter((p): p is string => Boolean(p))
    .join(' ');
}

/** The label a crew sees for an identifier: a known system, else its type's text, else its system's host. */
export function identifierLabel(identifier: Identifier): string {
  const system = identifier.system ?? '';
  const known = IDENTIFIER_LABELS[system];
  if (known) return known;
  const typeText = identifier.type?.text?.trim() || identifier.type?.coding?.find((c) => c.display)?.display?.trim();
  if (typeText) return typeText;
  const host = /^[a-z][a-z0-9+.-]*:\/\/([^/?#:@]+)/i.exec(system)?.[1];
  if (host) return `Identifier from ${host.toLowerCase()}`;
  return system.startsWith('urn:oid:') ? `Identifier (${system.slice(8)})` : 'Identifier (system not recorded)';
}

export type LabelledIdentifier = Readonly<{ label: string; value: string }>;

/** Identifiers other than the NHS number, in use now (old or ended ones left out), for telling patients apart. */
export function otherIdentifiers(identifiers: readonly Identifier[] | undefined, now: Date, nhsNumberSystem: string): LabelledIdentifier[] {
  return (identifiers ?? [])
    .filter((i) => i.system !== nhsNumberSystem && i.value?.trim() && i.use !== 'old' && !isOutsidePeriod(i.period, now))
    .map((i) => ({ label: identifierLabel(i), value: (i.value ?? '').trim() }));
}
