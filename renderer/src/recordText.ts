/** Plain-English pieces of the record screen (pure, so the words are tested). */
import { type CoverageView, type ProvenanceView } from '../../contract';
import { formatAbsoluteTime, formatFhirDate } from './timeFormat';

/** A FHIR date as recorded ("2019", "3 Mar 2024") or a date-time as "3 Mar 2024, 14:05". */
export function formatWhen(value: string | null | undefined): string | null {
  if (!value) return null;
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(value)) return formatFhirDate(value) ?? value;
  const absolute = formatAbsoluteTime(value);
  return absolute === 'unknown time' ? value : absolute;
}

/**
 * "Recorded by Dr Priya Nair (Sample Street Surgery) on 1 May 2012 · from gp.example": only what the
 * record says; null when it says nothing at all.
 */
export function provenanceText(source: ProvenanceView): string | null {
  const who = source.by && source.organisation ? `${source.by} (${source.organisation})` : source.by ?? source.organisation;
  const when = formatWhen(source.at);
  const main = who ? `Recorded by ${who}${when ? ` on ${when}` : ''}` : when ? `Recorded on ${when} (by whom is not stated)` : null;
  const from = source.system ? `from ${source.system}` : null;
  if (!main) return from ? `Sent ${from}` : null;
  return from ? `${main} · ${from}` : main;
}

const VERIFICATION: Readonly<Record<string, string>> = {
  unconfirmed: 'Unconfirmed',
  presumed: 'Presumed, not confirmed',
  provisional: 'Provisional',
  differential: 'Possible (one of several diagnoses considered)',
  refuted: 'Ruled out',
};
/** A verification status worth a marker; null for confirmed or unknown. */
export const verificationLabel = (v: string | null): string | null => (v ? VERIFICATION[v] ?? null : null);

const STATUS: Readonly<Record<string, string>> = {
  'on-hold': 'On hold',
  intended: 'Intended, not yet started',
  completed: 'Completed',
  stopped: 'Stopped',
  cancelled: 'Cancelled',
  revoked: 'Revoked',
  draft: 'Draft, not in force',
  'not-taken': 'Not taken',
  unknown: 'Status unknown',
  inactive: 'Inactive',
  resolved: 'Resolved',
  remission: 'In remission',
  'in-progress': 'In progress',
  'not-done': 'Not done',
  planned: 'Planned',
  arrived: 'Arrived',
  triaged: 'Triaged',
  onleave: 'On leave',
  preparation: 'Being prepared',
  'active proposal': 'Proposed, not prescribed',
  'active plan': 'Planned, not yet prescribed',
  'on-hold proposal': 'Proposed, on hold',
  amended: 'Amended',
};
/** A status worth saying; null for the ordinary one (active, finished, completed where that is normal). */
export const statusLabel = (status: string | null | undefined): string | null => (status && status !== 'active' ? STATUS[status] ?? status : null);

/** "PDF" for application/pdf; null for types a crew need not be told. */
export function contentTypeLabel(contentType: string | null): string | null {
  if (!contentType) return null;
  if (/pdf/i.test(contentType)) return 'PDF';
  if (/^image\//i.test(contentType)) return 'Image';
  if (/^text\/plain/i.test(contentType)) return 'Text';
  if (/word|officedocument/i.test(contentType)) return 'Word document';
  return null;
}

/** The words a section uses for what it lists, and for its past items. */
export type SectionWords = Readonly<{ what: string; past: readonly [one: string, many: string] }>;

export const SECTION_WORDS = {
  alerts: { what: 'alerts', past: ['ended or inactive alert', 'ended or inactive alerts'] },
  allergies: { what: 'allergies', past: ['inactive or resolved allergy', 'inactive or resolved allergies'] },
  carePlans: { what: 'care plans', past: ['ended care plan', 'ended care plans'] },
  medications: { what: 'medicines', past: ['past or stopped medicine', 'past or stopped medicines'] },
  conditions: { what: 'conditions', past: ['past or resolved condition', 'past or resolved conditions'] },
  encounters: { what: 'encounters', past: ['earlier encounter', 'earlier encounters'] },
  procedures: { what: 'procedures', past: ['earlier procedure', 'earlier procedures'] },
  immunizations: { what: 'immunisations', past: ['earlier immunisation', 'earlier immunisations'] },
  documents: { what: 'documents', past: ['', ''] },
  forms: { what: 'forms', past: ['', ''] },
  contacts: { what: 'contacts', past: ['', ''] },
} as const satisfies Readonly<Record<string, SectionWords>>;

/** "3 ended care plans", "1 ended care plan". */
export const pastCountText = (count: number, words: SectionWords): string => `${count} ${count === 1 ? words.past[0] : words.past[1]}`;

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const andList = (items: readonly string[]): string => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/**
 * What an empty section may honestly say. "None in the shared care record" only when a completed
 * pull covered every type it shows; otherwise what was not downloaded, restricted or unreadable.
 */
export function emptyText(coverage: CoverageView, words: SectionWords, pastCount: number): string {
  if (coverage.isWithheld) return `Restricted information may include ${words.what}: they are not shown on this device.`;
  if (coverage.hasUnreadable) return `A record of ${words.what} could not be read — check other sources.`;
  if (coverage.state === 'not-downloaded') return 'Not yet downloaded to this device — check other sources.';
  if (coverage.state === 'partly-downloaded') return `${capitalise(andList(coverage.notDownloaded))} not yet downloaded to this device — check other sources.`;
  return pastCount > 0 ? `No current ${words.what} in the shared care record.` : 'None in the shared care record.';
}

/** Beside a list that has items: what it may be missing, or null when it is complete. */
export function incompleteText(coverage: CoverageView, words: SectionWords): string | null {
  if (coverage.isWithheld) return `Restricted information may include more ${words.what}.`;
  if (coverage.hasUnreadable) return `A record of ${words.what} could not be read, so this list may be incomplete.`;
  if (coverage.state === 'confirmed') return null;
  if (coverage.notDownloaded.length) return `${capitalise(andList(coverage.notDownloaded))} not yet downloaded, so this list may be incomplete.`;
  return 'Not all downloaded yet, so this list may be incomplete.';
}
