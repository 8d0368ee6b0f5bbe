const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const COMMA = 44;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const LOWER_E = 101;
const UPPER_E = 69;

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The fast path for the bulk of a time-series file: parses rows of plain decimal numbers straight
 * from the bytes, `columns` per row, separated by tabs, commas or spaces. It returns null at the
 * first thing it does not expect (a word, NaN, an empty cell, a short row, a NUL byte...), and the
 * caller then re-reads the file with the exact, slower parser, which says what and where.
 *
 * Numbers with at most 15 significant digits are exact: the digits form an integer below 2^53 and
 * one division by an exact power of ten rounds once, as Number() does. Longer ones go through Number().
 */
export function parseNumericRows(bytes: Uint8Array, start: number, columns: number): { values: Float64Array; rows: number } | null {
  let capacity = Math.max(16, Math.ceil((bytes.length - start) / (columns * 6)));
  let values = new Float64Array(capacity * columns);
  let rows = 0;
  let i = start;
  const end = bytes.length;
  while (i < end) {
    // Skip blank lines.
    let c = bytes[i]!;
    if (c === LF || c === CR) {
      i += 1;
      continue;
    }
    if (rows === capacity) {
      capacity *= 2;
      const grown = new Float64Array(capacity * columns);
      grown.set(values);
      values = grown;
    }
    let out = rows * columns;
    for (let column = 0; column < columns; column += 1) {
      while (i < end && (bytes[i] === SPACE || (column > 0 && (bytes[i] === TAB || bytes[i] === COMMA)))) i += 1;
      if (i >= end) return null;
      const numberStart = i;
      c = bytes[i]!;
      let negative = false;
      if (c === MINUS || c === PLUS) {
        negative = c === MINUS;
        i += 1;
      }
      let mantissa = 0;
      let digits = 0;
      let scale = 0;
      let sawDigit = false;
      while (i < end && (c = bytes[i]!) >= ZERO && c <= NINE) {
        mantissa = mantissa * 10 + (c - ZERO);
        if (mantissa !== 0) digits += 1;
        sawDigit = true;
        i += 1;
      }
      if (i < end && bytes[i] === DOT) {
        i += 1;
        while (i < end && (c = bytes[i]!) >= ZERO && c <= NINE) {
          mantissa = mantissa * 10 + (c - ZERO);
          if (mantissa !== 0) digits += 1;
          scale += 1;
          sawDigit = true;
          i += 1;
        }
      }
      if (!sawDigit) return null;
      let exponent = 0;
      if (i < end && (bytes[i] === LOWER_E || bytes[i] === UPPER_E)) {
        i += 1;
        let exponentNegative = false;
        if (bytes[i] === MINUS || bytes[i] === PLUS) {
          exponentNegative = bytes[i] === MINUS;
          i += 1;
        }
        let exponentDigits = 0;
        while (i < end && (c = bytes[i]!) >= ZERO && c <= NINE) {
          exponent = exponent * 10 + (c - ZERO);
          exponentDigits += 1;
          i += 1;
        }
        if (exponentDigits === 0) return null;
        if (exponentNegative) exponent = -exponent;
      }
      // The number must end at a separator or the end of the line.
      if (i < end) {
        c = bytes[i]!;
        if (c !== TAB && c !== COMMA && c !== SPACE && c !== LF && c !== CR) return null;
      }
      let value: number;
      const power = exponent - scale;
      if (digits <= 15 && power >= -22 && power <= 22) {
        value = power < 0 ? mantissa / POWERS_OF_TEN[-power]! : mantissa * POWERS_OF_TEN[power]!;
      } else {
        value = Number(String.fromCharCode(...bytes.subarray(numberStart, i)));
        if (!Number.isFinite(value)) return null;
      }
      values[out] = negative && digits <= 15 && power >= -22 && power <= 22 ? -value : value;
      out += 1;
      // A trailing separator before the end of the line is an empty cell: let the exact parser say so.
      if (column < columns - 1) {
        if (i >= end || bytes[i] === LF || bytes[i] === CR) return null;
      }
    }
    while (i < end && bytes[i] === SPACE) i += 1;
    if (i < end && bytes[i] !== LF && bytes[i] !== CR) return null;
    rows += 1;
  }
  return { values: values.subarray(0, rows * columns), rows };
}
