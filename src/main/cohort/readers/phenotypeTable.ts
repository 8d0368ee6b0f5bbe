import Papa from 'papaparse';
import { ImportError } from '../importError';
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

function readTable(source: SourceBytes, onLatin1: () => void): PhenotypeTable {
  const file = source.path;
  const text = decodeText(source, onLatin1);
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: 'greedy', delimitersToGuess: [',', '\t', ';', '|'] });
  const quoteError = parsed.errors.find((error) => error.type === 'Quotes');
  if (quoteError) throw new ImportError({ file, line: (quoteError.row ?? 0) + 1 }, `unbalanced quotes (${quoteError.message})`);
  const [header, ...body] = parsed.data;
  if (!header || body.length === 0) throw new ImportError({ file }, 'the table has no data rows');
  const columns = header.map((name, i) => name.trim() || `(column ${i + 1})`);
  const duplicate = columns.find((name, i) => columns.indexOf(name) !== i);
  if (duplicate !== undefined) throw new ImportError({ file, line: 1, column: duplicate }, 'this column name appears twice in the header');

  const rows = body.map((cells, index): PhenotypeRow => {
    const line = index + 2;
    if (cells.length !== columns.length) {
      throw new ImportError({ file, line }, `expected ${columns.length} cells as in the header, found ${cells.length}`);
    }
    return { line, cells: cells.map((cell) => cell.trim()) };
  });
  return { path: file, columns, columnIndex: new Map(columns.map((name, i) => [name, i])), rows };
}
