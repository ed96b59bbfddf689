/**
 * Free text a user types that ends up in the audit trail and the central record (a break-glass
 * reason): control characters (which the central record refuses, and which can hide text in a
 * reviewer's terminal), zero-width and bidi-override characters (which make text read differently
 * from what it is, CVE-2021-42574) have no place in it (issue #10).
 */
const HIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;

/** NFC, line breaks and tabs as single spaces, trimmed. Hidden characters are left for `hasHiddenCharacters` to refuse, never silently removed. */
export function normaliseFreeText(text: string): string {
  return text.normalize('NFC').replace(/[\t\n\r]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

/** True when the text holds a control, zero-width or direction-override character. */
export const hasHiddenCharacters = (text: string): boolean => HIDDEN.test(text);

/** Words of at least two letters (any script): "asdf" counts, "." and "1234 5678" do not. */
export const realWordCount = (text: string): number => text.match(/\p{L}{2,}/gu)?.length ?? 0;
