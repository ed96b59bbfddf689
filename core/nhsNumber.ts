/**
 * NHS number Modulus 11 check (NHS Data Dictionary, "NHS Number").
 * @example isValidNhsNumber('9990000018') // => true when its check digit matches
 */
export function nhsCheckDigit(firstNine: string): number | undefined {
  if (!/^\d{9}$/.test(firstNine)) return undefined;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return undefined; // no valid number has this stem
  return check;
}

/** True when the ten digits (spaces allowed) pass the Modulus 11 check. */
export function isValidNhsNumber(value: string): boolean {
  const digits = value.replace(/\s+/g, '');
  if (!/^\d{10}$/.test(digits)) return false;
  return nhsCheckDigit(digits.slice(0, 9)) === Number(digits[9]);
}

/** Formats as 3-3-4, the way NHS screens show it. */
export function formatNhsNumber(value: string): string {
  const d = value.replace(/\s+/g, '');
  return d.length === 10 ? `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}` : value;
}

/** The synthetic test range: numbers starting 999 are never issued to people. */
export function isTestRangeNhsNumber(value: string): boolean {
  return isValidNhsNumber(value) && value.replace(/\s+/g, '').startsWith('999');
}
