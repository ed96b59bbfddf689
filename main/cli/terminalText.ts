/**
 * Text that reaches a reviewer's terminal or spreadsheet: control characters (C0, DEL, C1 — ESC
 * sequences can hide text or forge rows), line breaks, and invisible or direction-changing
 * characters (zero-width, bidi overrides: "Trojan Source", CVE-2021-42574) are shown as visible
 * escapes such as `\u001b`, never passed through (issue #10). The FHIR export keeps exact text.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
