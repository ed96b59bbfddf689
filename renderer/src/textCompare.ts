/** Small text helpers for display decisions (pure). */

/** Letters and digits only, lower case: "DNACPR: do not attempt CPR" ~ "DNACPR — do not attempt CPR". */
export const normaliseForCompare = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** True when two labels say the same thing, ignoring case and punctuation. */
export const saysTheSame = (a: string, b: string): boolean => normaliseForCompare(a) === normaliseForCompare(b);

/** First letter upper case, for codes shown as words ("female" -> "Female"). */
export const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
