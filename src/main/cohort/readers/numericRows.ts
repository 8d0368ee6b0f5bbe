import numericRowsWasm from './numericRows.wat';

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

interface NumericRowsExports {
  memory: WebAssembly.Memory;
  parseRows(powers: number, start: number, end: number, columns: number, out: number, capacity: number): number;
}

const PAGE_BYTES = 65536;
const SOURCE_OFFSET = 256;
let kernel: NumericRowsExports | null = null;

/** numericRows.wat, instantiated once per thread, with its table of powers of ten. */
function numericRowsExports(): NumericRowsExports {
  if (kernel === null) {
    kernel = new WebAssembly.Instance(new WebAssembly.Module(numericRowsWasm)).exports as unknown as NumericRowsExports;
    new Float64Array(kernel.memory.buffer, 0, POWERS_OF_TEN.length).set(POWERS_OF_TEN);
  }
  return kernel;
}

/**
 * The fast path for the bulk of a time-series file: parses rows of plain decimal numbers straight
 * from the bytes, `columns` per row, separated by tabs, commas or spaces. It returns null at the
 * first thing it does not expect (a word, NaN, an empty cell, a short row, a NUL byte...), and the
 * caller then re-reads the file with the exact, slower parser, which says what and where.
 *
 * Numbers with at most 15 significant digits are exact: the digits form an integer below 2^53 and
 * one division by an exact power of ten rounds once, as Number() does. Longer ones go through Number().
 *
 * The WebAssembly version (numericRows.wat) reads the common files, several times faster than
 * JavaScript in a freshly started worker; the JavaScript version takes whatever it gives up on.
 * With `scratch`, the values may be a view of the WebAssembly memory, valid until the next parse
 * in this thread (a fresh array costs more than the parse on the 2-core VM).
 */
export function parseNumericRows(
  bytes: Uint8Array,
  start: number,
  columns: number,
  scratch = false,
): { values: Float64Array; rows: number } | null {
  return parseNumericRowsInWasm(bytes, start, columns, scratch) ?? parseNumericRowsInJs(bytes, start, columns);
}

/** The same rows from numericRows.wat, or null where it gave up (and the JavaScript version decides). */
export function parseNumericRowsInWasm(
  bytes: Uint8Array,
  start: number,
  columns: number,
  scratch = false,
): { values: Float64Array; rows: number } | null {
  const { memory, parseRows } = numericRowsExports();
  const length = Math.max(0, bytes.length - start);
  // Each value takes at least one byte and one separator (or line break).
  const capacity = Math.ceil((length + 1) / (2 * columns)) + 1;
  const out = Math.ceil((SOURCE_OFFSET + length) / 8) * 8;
  const needed = out + capacity * columns * 8;
  if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE_BYTES));
  new Uint8Array(memory.buffer, SOURCE_OFFSET, length).set(bytes.subarray(start));
  const rows = parseRows(0, SOURCE_OFFSET, SOURCE_OFFSET + length, columns, out, capacity);
  if (rows < 0) return null;
  const values = new Float64Array(memory.buffer, out, rows * columns);
  return { values: scratch ? values : values.slice(), rows };
}

/** The JavaScript version, for everything the WebAssembly one does not take. */
export function parseNumericRowsInJs(bytes: Uint8Array, start: number, columns: number): { values: Float64Array; rows: number } | null {
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
