import { type FieldDifference, combineVersions, fieldDifferences, listItemSides } from './conflictMerge';
import type { ConflictDetailView, ConflictFieldView, ConflictListItem } from './conflictViews';
import { clip } from './fhirText';
import type { PatientSummary } from './views';

type Json = Record<string, unknown>;

/** The two versions of one conflict and what is known of how they came to be (sync/syncReview.ts). */
export type ConflictVersions = Readonly<{
  conflictId: string;
  resourceType: string;
  resourceId: string;
  patientId: string;
  at: string;
  local: Json | null;
  server: Json | null;
  base: Json | null;
  localRecordedAt: string;
}>;

const MAX_LINE = 500;

/** Plain names for the fields a crew may see differ; anything else is spelt out from its name. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  note: 'Notes', title: 'Title', description: 'Description', status: 'Status', intent: 'Intent', activity: 'Activities',
  period: 'Period', author: 'Author', contributor: 'Contributors', category: 'Category', careTeam: 'Care team', goal: 'Goals',
  addresses: 'Conditions addressed', supportingInfo: 'Supporting information', telecom: 'Phone numbers and email',
  contact: 'Contacts', name: 'Name', address: 'Address', relationship: 'Relationship', payload: 'Content',
};

export const fieldLabel = (field: string): string =>
  FIELD_LABELS[field] ?? field.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** Words for one FHIR value: a note, a concept, a reference, a period, a contact point, or its parts. */
export function valueText(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value !== 'object') return clip(String(value), MAX_LINE);
  if (Array.isArray(value)) return clip(value.map(valueText).join('; '), MAX_LINE);
  const v = value as Json;
  const known = str(v['text']) ?? str(v['display']) ?? str(v['value']) ?? str(v['description']);
  if (known) return clip(known, MAX_LINE);
  if (Array.isArray(v['coding'])) return valueText((v['coding'] as unknown[]).map((c) => (isObject(c) ? c['display'] ?? c['code'] : c)));
  if (str(v['reference'])) return clip(String(v['reference']), MAX_LINE);
  if (v['start'] !== undefined || v['end'] !== undefined) return `${str(v['start']) ?? 'not given'} to ${str(v['end']) ?? 'not ended'}`;
  if (isObject(v['detail'])) return valueText(v['detail']);
  const parts = Object.entries(v).filter(([k]) => k !== 'id' && k !== 'extension').map(([k, x]) => `${fieldLabel(k)}: ${valueText(x)}`);
  return clip(parts.join(', ') || '(empty)', MAX_LINE);
}

/** Who wrote a list item and when, where the item says (an Annotation, a Communication payload). */
function authorship(item: unknown): Readonly<{ by: string | null; at: string | null }> {
  if (!isObject(item)) return { by: null, at: null };
  const ref = isObject(item['authorReference']) ? item['authorReference'] : null;
  const by = str(item['authorString']) ?? (ref ? str(ref['display']) ?? str(ref['reference']) : null);
  const at = str(item['time']);
  return { by, at: at && at.length >= 10 ? at : null };
}

function itemText(item: unknown): string {
  return isObject(item) && str(item['text']) ? clip(String(item['text']).trim(), MAX_LINE) : valueText(item);
}

const linesOf = (value: unknown): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value.slice(0, 200).map(itemText) : [valueText(value)];

function fieldView(d: FieldDifference): ConflictFieldView {
  const items: ConflictListItem[] | null = d.kind === 'list'
    ? listItemSides((d.local ?? []) as unknown[], (d.server ?? []) as unknown[]).slice(0, 400).map(([item, side]) => ({ text: itemText(item), ...authorship(item), side }))
    : null;
  return { field: d.field, label: fieldLabel(d.field), kind: d.kind, changedBy: d.changedBy, local: linesOf(d.local), server: linesOf(d.server), items };
}

const TYPE_WORDS: Readonly<Record<string, string>> = { CarePlan: 'Care plan', Patient: 'Patient details', RelatedPerson: 'Contact', Communication: 'Message' };

function metaOf(resource: Json | null): Readonly<{ versionId: string; lastUpdated: string | null }> {
  const meta = resource && isObject(resource['meta']) ? resource['meta'] : {};
  return { versionId: str(meta['versionId']) ?? '', lastUpdated: str(meta['lastUpdated']) };
}

/**
 * The review view of one conflict: both versions of every differing field in words, who changed
 * each, and whether "combine" is possible (core/conflictMerge.ts). The caller has checked access.
 */
export function conflictDetailView(versions: ConflictVersions, patient: PatientSummary): ConflictDetailView {
  const local = versions.local ?? {};
  const server = versions.server;
  const differences = fieldDifferences(local, server ?? {}, versions.base);
  const combined = server ? combineVersions(local, server, versions.base) : null;
  const subject = str(local['title']) ?? str(server?.['title']) ?? null;
  const typeWords = TYPE_WORDS[versions.resourceType] ?? fieldLabel(versions.resourceType);
  return {
    conflictId: versions.conflictId,
    resourceType: versions.resourceType,
    resourceId: versions.resourceId,
    title: subject ? `${typeWords}: ${clip(subject, 200)}` : typeWords,
    patient,
    detectedAt: versions.at,
    device: { savedAt: versions.localRecordedAt || null, baseVersionId: versions.base ? metaOf(versions.base).versionId || null : null },
    central: { versionId: metaOf(server).versionId, updatedAt: metaOf(server).lastUpdated },
    isThreeWay: versions.base !== null,
    fields: differences.map(fieldView),
    combine: combined === null
      ? { isPossible: false, reason: 'The central record’s version could not be read, so there is nothing to combine with.' }
      : combined.isPossible ? { isPossible: true, reason: null } : { isPossible: false, reason: combined.reason },
    isServerVersionMissing: server === null,
  };
}
