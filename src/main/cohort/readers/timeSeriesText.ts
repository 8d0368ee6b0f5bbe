import { ImportError } from '../importError';
import { parseNumericRows } from './numericRows';
import { decodeText, splitLines, type SourceBytes } from './sourceFile';

/** ROI time series read from a text file: T rows (time points) by R columns (ROIs). */
export interface TimeSeries {
  /** ROI names from the header, e.g. "#1" (PCP CC200), "2001" (AAL codes), or "1".."R" without a header. */
  columns: string[];
  timePoints: number;
  /** Row-major, timePoints x columns.length. */
  values: Float64Array;
}

/** Athena (ADHD-200) time-course files start with these bookkeeping columns; they are not ROIs. */
const BOOKKEEPING_COLUMNS = new Set(['file', 'sub-brick']);

function splitter(line: string): (line: string) => string[] {
  if (line.includes('\t')) return (l) => l.split('\t').map((cell) => cell.trim());
  if (line.includes(',')) return (l) => l.split(',').map((cell) => cell.trim());
  return (l) => l.trim().split(/\s+/);
}

function isNumber(token: string): boolean {
  return token !== '' && Number.isFinite(Number(token));
}

/** "Mean_2001" (Athena) names ROI 2001; other names are kept as they are. */
function roiName(header: string): string {
  const athena = /^Mean_(.+)$/.exec(header);
  return athena ? athena[1]! : header;
}

/**
 * Parses a PCP `.1D`, an Athena time-course file, or a TSV/CSV of time series. The first line is a
 * header when any of its cells is not a number. Every cell must be a finite number. With `scratch`,
 * the values may be a view of the parser's memory, valid until the next parse in this thread.
 */
export function parseTimeSeries(source: SourceBytes, scratch = false): TimeSeries {
  return parseFast(source, scratch) ?? parseExact(source);
}

/** The common case, straight from the bytes: a header of ROI names, then rows of plain numbers. */
function parseFast(source: SourceBytes, scratch: boolean): TimeSeries | null {
  const bytes = source.content;
  const newline = bytes.indexOf(10);
  const headerEnd = newline === -1 ? bytes.length : newline;
  const firstLine = bytes
    .toString('utf8', 0, headerEnd)
    .replace(/^\ufeff/, '')
    .replace(/\r$/, '');
  if (firstLine.includes('\r') || firstLine.trim() === '') return null;
  const cells = splitter(firstLine)(firstLine);
  if (!cells.every((cell) => cell !== '' && !isNumber(cell) && !BOOKKEEPING_COLUMNS.has(cell.toLowerCase()))) return null;
  const columns = cells.map(roiName);
  if (new Set(columns).size !== columns.length) return null;
  const parsed = parseNumericRows(bytes, headerEnd + 1, columns.length, scratch);
  if (parsed === null || parsed.rows === 0) return null;
  return { columns, timePoints: parsed.rows, values: parsed.values };
}

/** The exact parser: slower, handles every layout, and names the file, line and column of any problem. */
export function parseExact(source: SourceBytes): TimeSeries {
  const file = source.path;
  const lines = splitLines(decodeText(source));
  const first = lines.findIndex((line) => line.trim() !== '');
  if (first === -1) throw new ImportError({ file }, 'the file has no rows');
  const split = splitter(lines[first]!);
  const firstCells = split(lines[first]!);
  const hasHeader = firstCells.some((cell) => !isNumber(cell));
  const headers = hasHeader ? firstCells.map((cell) => cell.replace(/^"(.*)"$/, '$1')) : firstCells.map((_, i) => String(i + 1));
  const keep = headers.map((name) => !BOOKKEEPING_COLUMNS.has(name.toLowerCase()));
  const columns = headers.filter((_, i) => keep[i]).map(roiName);
  if (columns.length === 0) throw new ImportError({ file, line: first + 1 }, 'the header names no ROI columns');
  const duplicate = columns.find((name, i) => columns.indexOf(name) !== i);
  if (duplicate !== undefined)
    throw new ImportError({ file, line: first + 1, column: duplicate }, 'this ROI name appears twice in the header');

  const dataStart = hasHeader ? first + 1 : first;
  const rows = lines.length - dataStart;
  if (rows <= 0) throw new ImportError({ file }, 'the file has a header but no time points (truncated?)');
  const values = new Float64Array(rows * columns.length);
  for (let row = 0; row < rows; row += 1) {
    const lineNumber = dataStart + row + 1;
    const cells = split(lines[dataStart + row]!);
    if (cells.length !== headers.length) {
      throw new ImportError(
        { file, line: lineNumber },
        `expected ${headers.length} values, found ${cells.length}${row === rows - 1 ? ' (is the file truncated?)' : ''}`,
      );
    }
    let out = row * columns.length;
    for (let c = 0; c < cells.length; c += 1) {
      if (!keep[c]) continue;
      const cell = cells[c]!;
      const value = Number(cell);
      if (cell === '' || !Number.isFinite(value)) {
        const what =
          cell === ''
            ? 'an empty cell'
            : /^[+-]?(nan|inf(inity)?)$/i.test(cell)
              ? `"${cell}" (NaN or infinite)`
              : `"${cell.slice(0, 40)}", not a number`;
        throw new ImportError({ file, line: lineNumber, column: headers[c] }, `${what}`);
      }
      values[out] = value;
      out += 1;
    }
  }
  return { columns, timePoints: rows, values };
}
