import Papa from 'papaparse';
import { ImportError } from '../importError';
import { parseCsvRows } from './csvRows';
import { decodeText, type SourceBytes } from './sourceFile';

/** A phenotype table as the user wrote it: every cell a trimmed string. */
export interface PhenotypeTable {
  path: string;
  columns: string[];
  /** Each column's index in `columns` (and in every row's cells). */
  columnIndex: ReadonlyMap<string, number>;
  rows: PhenotypeRow[];
}

export interface PhenotypeRow {
  /** The row's line in the file (1 = the header). */
  line: number;
  /** The trimmed cells, in the order of the table's columns. */
  cells: string[];
}

/** A row's trimmed cell in a column of its table (which must have that column). */
export function cellOf(table: PhenotypeTable, row: PhenotypeRow, column: string): string {
  const index = table.columnIndex.get(column);
  if (index === undefined) throw new Error(`${table.path} has no column "${column}"`);
  return row.cells[index]!;
}

/** The last table read: the import wizard reads a table for its proposal, then again to import it. */
let lastRead: { path: string; sha256: string; latin1: boolean; table: PhenotypeTable } | null = null;

/**
 * Reads a CSV or TSV phenotype table (delimiter detected; quotes, CR/CRLF line endings and a
 * UTF-8 BOM handled by papaparse). A blank header cell is named "(column N)"; rows must have as
 * many cells as the header. The same file (path and SHA-256) read twice in a row gives the same
 * table, which callers must not change.
 */
export function parsePhenotypeTable(source: SourceBytes, onLatin1?: () => void): PhenotypeTable {
  if (lastRead?.path === source.path && lastRead.sha256 === source.sha256) {
    if (lastRead.latin1) onLatin1?.();
    return lastRead.table;
  }
  let latin1 = false;
  const table = readTable(source, () => {
    latin1 = true;
    onLatin1?.();
  });
  lastRead = { path: source.path, sha256: source.sha256, latin1, table };
  return table;
}

const DELIMITERS = [',', '\t', ';', '|'];

function readTable(source: SourceBytes, onLatin1: () => void): PhenotypeTable {
  const file = source.path;
  const text = decodeText(source, onLatin1);
  // papaparse guesses the delimiter and line ending from the first rows, skipping blank ones; the
  // whole parse (papaparse's, sooner: parseCsvRows) then leaves blank rows to the loop below, which
  // trims every cell anyway (papaparse's own 'greedy' test joins and trims every row again).
  const { delimiter, linebreak } = Papa.parse<string[]>(text, {
    preview: 10,
    skipEmptyLines: 'greedy',
    delimitersToGuess: DELIMITERS,
  }).meta;
  const parsed = parseCsvRows(text, delimiter, linebreak);
  const quoteError = parsed.errors.find((error) => error.type === 'Quotes');
  if (quoteError) throw new ImportError({ file, line: (quoteError.row ?? 0) + 1 }, `unbalanced quotes (${quoteError.message})`);
  const rows = withFileLines(parsed.data, linebreak).filter((row) => trimmedNotBlank(row.cells));
  const header = rows[0];
  if (!header || rows.length === 1) throw new ImportError({ file }, 'the table has no data rows');
  const columns = header.cells.map((name, i) => name || `(column ${i + 1})`);
  const duplicate = columns.find((name, i) => columns.indexOf(name) !== i);
  if (duplicate !== undefined)
    throw new ImportError({ file, line: header.line, column: duplicate }, 'this column name appears twice in the header');

  const body: PhenotypeRow[] = [];
  for (let index = 1; index < rows.length; index += 1) {
    const { cells, line } = rows[index]!;
    if (cells.length !== columns.length) {
      throw new ImportError({ file, line }, `expected ${columns.length} cells as in the header, found ${cells.length}`);
    }
    body.push({ line, cells });
  }
  return { path: file, columns, columnIndex: new Map(columns.map((name, i) => [name, i])), rows: body };
}

/**
 * Each record with the line of the file it starts on, as an editor numbers them: blank rows count,
 * and so do the line breaks inside quoted cells.
 */
function withFileLines(records: string[][], linebreak: string): { cells: string[]; line: number }[] {
  const mark = linebreak === '\r' ? '\r' : '\n';
  let inside = 0;
  return records.map((cells, index) => {
    const line = index + 1 + inside;
    for (const cell of cells) for (let at = cell.indexOf(mark); at >= 0; at = cell.indexOf(mark, at + 1)) inside += 1;
    return { cells, line };
  });
}

/** Trims a row's cells in place; false when they are all blank (a row papaparse's 'greedy' option would skip). */
function trimmedNotBlank(cells: string[]): boolean {
  let blank = true;
  for (let i = 0; i < cells.length; i += 1) {
    const cell = cells[i]!.trim();
    cells[i] = cell;
    if (cell !== '') blank = false;
  }
  return !blank;
}
