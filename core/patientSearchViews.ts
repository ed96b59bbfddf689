import { z } from 'zod';
import { isValidNhsNumber } from './nhsNumber';

/**
 * Issue #13: what a search asks and what a result list may show. The source of truth for the
 * contract (contract/searchMethods.ts re-exports these) and for the local index (db/patientIndex.ts).
 */

export const INVALID_NHS_NUMBER = 'This is not a valid NHS number — check the 10 digits';

/** Ten digits that pass the Modulus 11 check (spaces allowed as typed: "943 476 5919"). */
export const nhsNumberQuerySchema = z
  .string()
  .max(20)
  .transform((s) => s.replace(/\s+/g, ''))
  .pipe(z.string().refine(isValidNhsNumber, INVALID_NHS_NUMBER));

const hasLetter = (s: string) => /\p{L}/u.test(s);
const nameSchema = z.string().trim().min(1, 'Enter a name').max(100).refine(hasLetter, 'A name needs at least one letter');

const isRealDate = (s: string) => {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 1880;
};
export const birthDateQuerySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date of birth as day, month and year').refine(isRealDate, 'Enter a real date of birth');

const FULL = /^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/;
const OUTWARD = /^[A-Z]{1,2}\d[A-Z\d]?$/;
/** A full postcode or its outward code (district), e.g. "E8 4QR" or "E8". */
export const postcodeQuerySchema = z
  .string()
  .max(10)
  .transform((s) => s.toUpperCase().replace(/\s+/g, ''))
  .pipe(z.string().refine((s) => FULL.test(s) || OUTWARD.test(s), 'Enter a postcode, or the first half of one (such as E8)'));

export const patientQuerySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('nhs-number'), nhsNumber: nhsNumberQuerySchema }).strict(),
  z.object({ kind: z.literal('name-dob'), family: nameSchema, given: nameSchema.optional(), birthDate: birthDateQuerySchema }).strict(),
  /** Partial names: the start of the family name (and given name), or names that sound alike. */
  z.object({ kind: z.literal('name'), family: nameSchema, given: nameSchema.optional() }).strict(),
  z.object({ kind: z.literal('dob-postcode'), birthDate: birthDateQuerySchema, postcode: postcodeQuerySchema }).strict(),
  z
    .object({
      kind: z.literal('postcode-age'),
      postcode: postcodeQuerySchema,
      ageYears: z.number().int().min(0).max(120),
      /** "About 40": 40 ± this many years. */
      toleranceYears: z.number().int().min(0).max(10).default(5),
    })
    .strict(),
]);
export type PatientQuery = z.output<typeof patientQuerySchema>;
export type PatientQueryInput = z.input<typeof patientQuerySchema>;

const text = z.string().max(2000);

/** What a result may show once a purpose allows opening the record. */
export const patientMatchDetailsSchema = z.object({
  /** null: "No NHS number" (visitors, newborns, records from elsewhere). */
  nhsNumber: z.string().nullable(),
  otherIdentifiers: z.array(z.object({ label: text, value: text })).max(10),
  birthDate: z.string().nullable(),
  gender: z.string().nullable(),
  /** Why this device holds the record (its sync scopes), in words; empty for a result not on this device. */
  cachedBecause: z.array(text).max(10),
});

export const patientMatchSchema = z.object({
  patientId: z.string().max(128),
  name: text,
  /** "42 years", "about 40", "Age not known". */
  age: z.string().max(200),
  /** The postcode district only, never the street. */
  partialAddress: text.nullable(),
  matchReasons: z.array(z.string().max(200)).max(10),
  matchedFields: z.number().int().nonnegative(),
  /** false: found on the central record only; opening brings it here first. */
  isOnDevice: z.boolean(),
  /** A temporary identity made on a device for someone not yet identified. */
  isIdentityVerified: z.boolean(),
  /** Opening needs break-glass for this user and purpose. */
  needsBreakGlass: z.boolean(),
  /** null until the purpose allows opening: the list shows only name, age, partial address and why it matched. */
  details: patientMatchDetailsSchema.nullable(),
});
export type PatientMatchView = z.infer<typeof patientMatchSchema>;

export const patientSearchResultSchema = z.object({
  matches: z.array(patientMatchSchema).max(100),
  /** More matched on this device than the list shows: narrow the search. */
  isTruncated: z.boolean(),
  /** Whether the central record was asked too, and what came of it. */
  central: z.object({ state: z.enum(['searched', 'offline', 'failed', 'not-asked']), message: z.string().max(500) }),
});
export type PatientSearchResultView = z.infer<typeof patientSearchResultSchema>;

/** The call or incident a 111 call handler or clinical adviser is working, as main holds it. */
export const activeCallSchema = z.object({
  kind: z.enum(['call', 'incident']),
  reference: z.string().max(64),
  /** For an incident: its FHIR Task id (the purpose main checks). */
  incidentId: z.string().max(128).nullable(),
  startedAt: z.string().max(40),
  /** Started on this device by this user, or joined. */
  isJoined: z.boolean(),
});
export type ActiveCallView = z.infer<typeof activeCallSchema>;
