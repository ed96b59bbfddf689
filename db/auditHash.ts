import { createHash, hash as oneShotHash } from 'node:crypto';

/** SHA-256 hex of a UTF-8 string; the one-shot API where Node has it (≥ 20.12), a third faster. */
export const sha256Hex: (text: string) => string =
  typeof oneShotHash === 'function' ? (text) => oneShotHash('sha256', text, 'hex') : (text) => createHash('sha256').update(text, 'utf8').digest('hex');
