/**
 * Compact, order-preserving byte encoding of RxDB index strings.
 *
 * RxDB orders documents in an index by one string: each field rendered to a
 * fixed width (strings padded with ' ' to maxLength, numbers as zero-padded
 * digits, booleans '0'/'1'), concatenated, compared as JavaScript strings
 * (UTF-16 code units). Storing that string verbatim costs 2 bytes per
 * padding character, twice (column and SQL index). Here each field is encoded
 * so that `memcmp` on the bytes gives exactly the JavaScript order of the
 * padded field, without storing the padding.
 *
 * String fields are tokens; trailing spaces are dropped and an END token
 * stands for "spaces up to the width". A run of k spaces followed by a
 * non-space code unit c compares against other positions like this:
 * with c > ' ' a longer run sorts first, with c < ' ' a shorter run sorts
 * first, END sits between the two groups. Tokens (first byte decides length):
 *   0x00 c16          k = 0, c < ' '
 *   0x01 k16 c16      k > 0, c < ' '
 *   0x02              END
 *   0x03 ~k16 c16     k > 0, c > ' '   (~k = 0xFFFF - k: longer run is smaller)
 *   0x21..0x7E        k = 0, c = that ASCII character
 *   0x7F c16          k = 0, c >= 0x7F
 * END only ends a field, so field encodings are prefix-free and concatenating
 * them preserves the order of the field tuple. Digit and boolean fields have a
 * fixed width and no spaces, so their ASCII bytes are used as they are.
 */

const SPACE = 0x20;
const MAX_RUN = 0xffff;
/** The longest token (0x03 ~k16 c16) per code unit, plus END. */
const MAX_BYTES_PER_UNIT = 5;

/**
 * Writes into one growing scratch buffer that every key reuses; `result()`
 * copies the bytes out (small copies come from Node's buffer pool). Callers
 * reserve room per field, so the per-byte writes need no bounds check.
 */
class ByteWriter {
  private bytes = Buffer.allocUnsafe(1024);
  length = 0;

  reset(): void {
    this.length = 0;
  }

  reserve(extra: number): void {
    if (this.length + extra > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + extra));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
  }

  byte(value: number): void {
    this.bytes[this.length++] = value;
  }

  u16(value: number): void {
    this.bytes[this.length++] = value >>> 8;
    this.bytes[this.length++] = value & 0xff;
  }

  ascii(text: string): void {
    this.reserve(text.length);
    this.length += this.bytes.write(text, this.length, 'latin1');
  }

  result(): Buffer {
    return Buffer.from(this.bytes.subarray(0, this.length));
  }
}

const scratch = new ByteWriter();

function writeToken(out: ByteWriter, run: number, unit: number): void {
  if (run > MAX_RUN) {
    throw new RangeError('space run in an indexed string is too long to encode');
  }
  if (unit < SPACE) {
    if (run === 0) {
      out.byte(0x00);
    } else {
      out.byte(0x01);
      out.u16(run);
    }
    out.u16(unit);
  } else if (run > 0) {
    out.byte(0x03);
    out.u16(MAX_RUN - run);
    out.u16(unit);
  } else if (unit < 0x7f) {
    out.byte(unit);
  } else {
    out.byte(0x7f);
    out.u16(unit);
  }
}

/**
 * Encodes a string field from its value: the padding RxDB appends (spaces up
 * to maxLength) only adds trailing spaces, which the encoding drops anyway,
 * so the value and its padded form give the same bytes.
 */
function writeStringField(out: ByteWriter, text: string): void {
  out.reserve(text.length * MAX_BYTES_PER_UNIT + 1);
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === SPACE) {
      run++;
    } else if (run === 0 && unit > SPACE && unit < 0x7f) {
      out.byte(unit); // the common case: printable ASCII after a non-space
    } else {
      writeToken(out, run, unit);
      run = 0;
    }
  }
  out.byte(0x02);
}

export type IndexFieldKind = 'string' | 'fixed';

/** Encodes the per-field index strings RxDB computes (see getIndexMeta). */
export function encodeIndexKey(kinds: readonly IndexFieldKind[], parts: readonly string[]): Buffer {
  scratch.reset();
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (kinds[i] === 'string') {
      writeStringField(scratch, part);
    } else {
      scratch.ascii(part);
    }
  }
  return scratch.result();
}

/**
 * One index field as the document encoder reads it: string fields from the
 * raw value (no padding is built), digit and boolean fields through RxDB's
 * own fixed-width rendering, which is short.
 */
export type IndexFieldReader<Doc> =
  | Readonly<{ kind: 'string'; getValue: (doc: Doc) => unknown; part: (doc: Doc) => string }>
  | Readonly<{ kind: 'fixed'; part: (doc: Doc) => string }>;

/**
 * Builds the encoder for one index: same bytes as
 * `encodeIndexKey(kinds, fields.map((f) => f.part(doc)))`, without building
 * RxDB's padded strings.
 */
export function indexKeyEncoder<Doc>(fields: readonly IndexFieldReader<Doc>[]): (doc: Doc) => Buffer {
  return (doc) => {
    scratch.reset();
    for (const field of fields) {
      if (field.kind === 'string') {
        const value = field.getValue(doc);
        if (!value) {
          scratch.reserve(1);
          scratch.byte(0x02); // RxDB renders a missing or empty value as all padding
        } else if (typeof value === 'string') {
          writeStringField(scratch, value);
        } else {
          writeStringField(scratch, field.part(doc)); // not a string: let RxDB's rendering decide (it throws)
        }
      } else {
        scratch.ascii(field.part(doc));
      }
    }
    return scratch.result();
  };
}
