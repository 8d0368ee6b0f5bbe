import Papa from 'papaparse';
import { ImportError } from '../importError';
import { decodeText, type SourceBytes } from './sourceFile';

/** A phenotype table as the user wrote it: every cell a trimmed string. */
export interface PhenotypeTable {
  path: string;
  columns: string[];
  rows: PhenotypeRow[];
}

export interface PhenotypeRow {
  /** The row's line in the file (1 = the header). */
  line: number;
  cells: Record<string, string>;
}

/**
 * Reads a CSV or TSV phenotype table (delimiter detected; quotes, CR/CRLF line endings and a
 * UTF-8 BOM handled by papaparse). A blank header cell is named "(column N)"; rows must have as
 * many cells as the header.
 */
export function parsePhenotypeTable(source: SourceBytes, onLatin1?: () => void): PhenotypeTable {
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
    return { line, cells: Object.fromEntries(columns.map((name, i) => [name, cells[i]!.trim()])) };
  });
  return { path: file, columns, rows };
}
