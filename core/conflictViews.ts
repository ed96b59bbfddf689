import { z } from 'zod';
import { patientSummarySchema } from './record/schemas';

const isoTime = z.string().min(10).max(40);
const line = z.string().max(2000);
const side = z.enum(['both', 'device', 'central']);

/** One item of a list field (a note, a contact): its text, who wrote it and when, and which versions hold it. */
export const conflictListItemSchema = z.object({ text: line, by: line.nullable(), at: isoTime.nullable(), side });

/** One field the two versions disagree on, with both values in words: never blind (issue #14). */
export const conflictFieldViewSchema = z.object({
  field: z.string().max(64),
  label: line,
  kind: z.enum(['list', 'value']),
  /** Who changed the field since the version the edit started from; null when that is not known. */
  changedBy: z.enum(['device', 'central', 'both']).nullable(),
  /** The crew's version of the field, as lines of text ([] when the version does not have it). */
  local: z.array(line).max(200),
  /** The central record's version of the field. */
  server: z.array(line).max(200),
  /** Lists: each item once, with the side(s) holding it. */
  items: z.array(conflictListItemSchema).max(400).nullable(),
});

/** A conflict opened for review: who it is about, both versions side by side, and what can be done. */
export const conflictDetailViewSchema = z.object({
  conflictId: z.string().max(300),
  resourceType: z.string().max(64),
  resourceId: z.string().max(128),
  /** "Care plan: End of life care" */
  title: line,
  patient: patientSummarySchema,
  detectedAt: isoTime,
  device: z.object({ savedAt: isoTime.nullable(), baseVersionId: z.string().max(64).nullable() }),
  central: z.object({ versionId: z.string().max(64), updatedAt: isoTime.nullable() }),
  /** False for a conflict recorded before the starting version was kept: "who changed it" is unknown. */
  isThreeWay: z.boolean(),
  fields: z.array(conflictFieldViewSchema),
  combine: z.object({ isPossible: z.boolean(), reason: line.nullable() }),
  /** The central record's version could not be read back: only keeping the crew's version is possible. */
  isServerVersionMissing: z.boolean(),
});

export type ConflictFieldView = z.infer<typeof conflictFieldViewSchema>;
export type ConflictDetailView = z.infer<typeof conflictDetailViewSchema>;
export type ConflictListItem = z.infer<typeof conflictListItemSchema>;
