import type { CodeableConcept, Meta, Reference, Resource } from '@medplum/fhirtypes';
import { clip, urlHost } from '../fhirText';
import { chooseName, formatName } from './names';

/** A resource as the local store holds it: the central record's copy and when this device stored it. */
export type Cached<R extends Resource = Resource> = Readonly<{ resource: R; syncedAt: string }>;

/**
 * What every reader needs: the time, every cached resource by "Type/id" (to resolve references to
 * Medications, Practitioners, Organizations sent alongside), and when each type was last confirmed.
 */
export type RecordContext = Readonly<{
  now: Date;
  index: ReadonlyMap<string, Resource>;
  confirmedAtByType: Readonly<Record<string, string>>;
  /** "Type/id" of resources with a local write waiting to upload (absent: none known). */
  waitingKeys?: ReadonlySet<string>;
}>;

/** A resource that can hold others ("#id" references) and says where it came from. */
export type Container = Readonly<{ contained?: readonly Resource[]; meta?: Meta }>;

export const TEXT_MAX = 2000;
export const LONG_TEXT_MAX = 8000;
export const TIME_MAX = 40;

/** Text that fits the view schema, or null when there is none. */
export const text = (value: string | null | undefined, max = TEXT_MAX): string | null => {
  const trimmed = value?.trim();
  return trimmed ? clip(trimmed, max) : null;
};

/** A FHIR date or time as sent (partial dates allowed), or null when absent or too long to be one. */
export const fhirTime = (value: string | null | undefined): string | null => (value && value.length <= TIME_MAX ? value : null);

/** Instant of a FHIR date/time, or NaN. */
export const timeMs = (value: string | null | undefined): number => Date.parse(value ?? '');

/** The later of two server times; an unreadable one loses to a readable one. */
export function laterOf(a: string | undefined | null, b: string): string {
  if (!a) return b;
  const [ma, mb] = [timeMs(a), timeMs(b)];
  if (!Number.isFinite(ma)) return b;
  if (!Number.isFinite(mb)) return a;
  return ma > mb ? a : b;
}

/**
 * When the central record last confirmed this item: the later of the last completed pull that
 * covered its type for this patient, and when this version was stored (DESIGN §4 Freshness).
 */
export const confirmedAtOf = (ctx: RecordContext, cached: Cached): string =>
  fhirTime(laterOf(ctx.confirmedAtByType[cached.resource.resourceType], cached.syncedAt)) ?? '';

/** The code of the first coding of a status concept (clinicalStatus, verificationStatus). */
export const statusCode = (concept: CodeableConcept | undefined): string | undefined => concept?.coding?.find((c) => c.code)?.code;

/** A date/time in the past (a period end, an abatement); an unreadable one is not. */
export const isPast = (value: string | undefined, now: Date): boolean => {
  const ms = timeMs(value);
  return Number.isFinite(ms) && ms < now.getTime();
};

/** Newest first by instant; undated last. */
export const byNewest = <T>(at: (item: T) => string | null | undefined) => (a: T, b: T): number => {
  const [ma, mb] = [timeMs(at(a)), timeMs(at(b))];
  return (Number.isFinite(mb) ? mb : -Infinity) - (Number.isFinite(ma) ? ma : -Infinity) || 0;
};

/** "Type/id" from a relative or absolute reference ("https://x/fhir/Medication/1/_history/2" too). */
export function referenceKey(reference: string | undefined): string | undefined {
  if (!reference || reference.startsWith('#')) return undefined;
  const parts = reference.replace(/\/_history\/[^/]*$/, '').split('/').filter(Boolean);
  const [type, id] = parts.slice(-2);
  return type && id && /^[A-Z][A-Za-z]+$/.test(type) ? `${type}/${id}` : undefined;
}

/** The resource a reference points to: contained ("#id") in its container, or sent in the list. */
export function resolve(ref: Reference | undefined, container: Container, ctx: RecordContext): Resource | undefined {
  const target = ref?.reference;
  if (!target) return undefined;
  if (target.startsWith('#')) return container.contained?.find((c: Resource) => c.id === target.slice(1));
  const key = referenceKey(target);
  return key ? ctx.index.get(key) : undefined;
}

/** The name of a person or organisation resource, if it has one. */
export function resourceName(resource: Resource | undefined, now: Date): string | null {
  if (!resource) return null;
  switch (resource.resourceType) {
    case 'Practitioner':
    case 'RelatedPerson':
    case 'Patient': {
      const name = chooseName(resource.name, now);
      return name ? formatName(name) || null : null;
    }
    case 'Organization':
    case 'CareTeam':
    case 'HealthcareService':
    case 'Location':
      return resource.name?.trim() || null;
    case 'Device':
      return resource.deviceName?.[0]?.name?.trim() || null;
    case 'PractitionerRole':
      return resource.practitioner?.display?.trim() || resource.organization?.display?.trim() || null;
    default:
      return null;
  }
}

/** What a reference says it is: its display, else the name of what it resolves to. */
export function referenceDisplay(ref: Reference | undefined, container: Container, ctx: RecordContext): string | null {
  return text(ref?.display) ?? text(resourceName(resolve(ref, container, ctx), ctx.now));
}

const isOrganisation = (ref: Reference, resolved: Resource | undefined): boolean =>
  ref.type === 'Organization' || resolved?.resourceType === 'Organization' || referenceKey(ref.reference)?.startsWith('Organization/') === true;

export type Provenance = Readonly<{ by: string | null; organisation: string | null; at: string | null; system: string | null }>;

type ProvenanceSpec = Readonly<{
  /** Who recorded or asserted it, best first; references to organisations count as the organisation. */
  people?: readonly (Reference | undefined)[];
  organisations?: readonly (Reference | undefined)[];
  /** When it was recorded, best first; meta.lastUpdated is the fallback. */
  at?: readonly (string | undefined)[];
}>;

/** The organisation a PractitionerRole works for, when the recorder is one. */
function roleOrganisation(ref: Reference | undefined, container: Container, ctx: RecordContext): Reference | undefined {
  const resolved = resolve(ref, container, ctx);
  return resolved?.resourceType === 'PractitionerRole' ? resolved.organization : undefined;
}

/** The system that sent it: meta.source's host, or its text when it is not a URL (a bare "#request-id" is not shown). */
function sourceSystem(source: string | undefined): string | null {
  if (!source || source.startsWith('#')) return null;
  return text(urlHost(source) ?? source.split('#')[0], 200);
}

/**
 * Who recorded an item, for which organisation, when, and from which system — only what the
 * resource says (issue #11 "Source and provenance").
 */
export function provenance(resource: Container, ctx: RecordContext, spec: ProvenanceSpec): Provenance {
  const people = (spec.people ?? []).filter((r): r is Reference => Boolean(r));
  let by: string | null = null;
  const orgRefs: Reference[] = [];
  for (const ref of people) {
    const resolved = resolve(ref, resource, ctx);
    if (isOrganisation(ref, resolved)) orgRefs.push(ref);
    else by ??= referenceDisplay(ref, resource, ctx);
    const roleOrg = roleOrganisation(ref, resource, ctx);
    if (roleOrg) orgRefs.push(roleOrg);
  }
  const organisations = [...(spec.organisations ?? []).filter((r): r is Reference => Boolean(r)), ...orgRefs];
  const organisation = organisations.map((r) => referenceDisplay(r, resource, ctx)).find((d): d is string => d !== null) ?? null;
  const at = [...(spec.at ?? []), resource.meta?.lastUpdated].map(fhirTime).find((t): t is string => t !== null) ?? null;
  return { by, organisation, at, system: sourceSystem(resource.meta?.source) };
}

/** Every cached resource by "Type/id" (contained resources are not indexed: their ids are local to their container). */
export function indexResources(resources: readonly Cached[]): Map<string, Resource> {
  const index = new Map<string, Resource>();
  for (const { resource } of resources) if (resource.id) index.set(`${resource.resourceType}/${resource.id}`, resource);
  return index;
}
