/**
 * What changed between two openings of the same record (issue #11 live update), in the words a
 * crew reads: "Allergy added: latex". Generic over the record's lists: every list of items with an
 * `id` is compared, named by its section label; the resuscitation decision by its headline.
 */
type Item = Readonly<{ id: string }> & Readonly<Record<string, unknown>>;

const SECTION_NAMES: Readonly<Record<string, string>> = {
  alerts: 'Alert',
  allergies: 'Allergy',
  carePlans: 'Care plan',
  medications: 'Medication',
  conditions: 'Problem',
  encounters: 'Encounter',
  procedures: 'Procedure',
  immunizations: 'Immunisation',
  documents: 'Document',
  contacts: 'Contact',
  forms: 'Form',
};

const TEXT_FIELDS = ['substance', 'title', 'text', 'name', 'description'] as const;

function labelOf(item: Item): string {
  for (const field of TEXT_FIELDS) {
    const value = item[field];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return 'an item';
}

const isItemList = (value: unknown): value is Item[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string');

/** Freshness fields change on every confirmation; upload state changes as this device's own work goes up. */
const IGNORED = new Set(['syncedAt', 'confirmedAt', 'isPossiblyStale', 'isWaitingToUpload']);

type Contribution = Readonly<{ id: string; isWaitingToUpload?: boolean }>;
const contributionsOf = (item: Item | undefined): readonly Contribution[] => (Array.isArray(item?.['contributions']) ? (item['contributions'] as Contribution[]) : []);

/** A crew's own addition (waiting to upload in either version) is not news from the shared care record. */
function content(item: Item, ownIds: ReadonlySet<string>): string {
  const shared = contributionsOf(item).filter((c) => !ownIds.has(c.id)).map(({ isWaitingToUpload: _w, ...c }) => c);
  const kept: [string, unknown][] = Object.entries(item)
    .filter(([key]) => !IGNORED.has(key))
    .map(([key, value]) => [key, key === 'contributions' ? shared : value]);
  return JSON.stringify(Object.fromEntries(kept.sort(([a], [b]) => a.localeCompare(b))));
}

const isOwnEdit = (a: Item | undefined, b: Item) => a?.['isWaitingToUpload'] === true || b['isWaitingToUpload'] === true;

function listChanges(section: string, before: readonly Item[], after: readonly Item[]): string[] {
  const name = SECTION_NAMES[section] ?? section;
  const old = new Map(before.map((i) => [i.id, i]));
  const now = new Map(after.map((i) => [i.id, i]));
  const lines: string[] = [];
  for (const item of after) {
    const previous = old.get(item.id);
    const ownIds = new Set([...contributionsOf(previous), ...contributionsOf(item)].filter((c) => c.isWaitingToUpload).map((c) => c.id));
    if (!previous) lines.push(`${name} added: ${labelOf(item)}`);
    else if (!isOwnEdit(previous, item) && content(previous, ownIds) !== content(item, ownIds)) lines.push(`${name} changed: ${labelOf(item)}`);
  }
  for (const item of before) if (!now.has(item.id)) lines.push(`${name} removed: ${labelOf(item)}`);
  return lines;
}

export function recordChanges(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): string[] {
  const lines: string[] = [];
  const headline = (view: Readonly<Record<string, unknown>>) => (view['resuscitation'] as { headline?: unknown } | undefined)?.headline;
  if (headline(before) !== headline(after) && typeof headline(after) === 'string') lines.push(`Resuscitation decision changed: ${String(headline(after))}`);
  for (const [section, value] of Object.entries(after)) {
    const previous = before[section];
    if (isItemList(value) && (previous === undefined || isItemList(previous))) lines.push(...listChanges(section, previous ?? [], value));
  }
  return lines;
}
