import Papa from 'papaparse';
import { ImportError } from '../cohort/importError';
import { decodeText, readSource } from '../cohort/readers/sourceFile';

/**
 * Reads a reference map saved as CSV: one value per ROI, in the run's ROI order. The file is either
 * one column of numbers (a header line is allowed), or a table with a `value` column and, optionally,
 * a `label` column; with labels, rows are matched to ROIs by label, in any order.
 */
export function readReferenceCsv(path: string, roiLabels: string[]): number[] {
  const parsed = Papa.parse<string[]>(decodeText(readSource(path)), { skipEmptyLines: 'greedy', delimitersToGuess: [',', '\t', ';'] });
  const rows = parsed.data.map((row) => row.map((cell) => cell.trim()));
  if (rows.length === 0) throw new ImportError({ file: path }, 'the file has no rows');
  const first = rows[0]!;
  const hasHeader = first.some((cell) => cell !== '' && !Number.isFinite(Number(cell)));
  const header = hasHeader ? first : null;
  const valueCol = header && header.length > 1 ? header.findIndex((name) => /^(value|values|weight|score|map)$/i.test(name)) : 0;
  const labelCol = header ? header.findIndex((name) => /^(label|name|region|roi)$/i.test(name)) : -1;
  if (valueCol === -1) throw new ImportError({ file: path, line: 1 }, 'no "value" column: name the column of values "value"');
  const column = valueCol;
  const body = hasHeader ? rows.slice(1) : rows;
  const lineOffset = hasHeader ? 2 : 1;
  const columnName = header ? header[column]! : '1';
  const valueOf = (row: string[], i: number): number => {
    const cell = row[column];
    const line = i + lineOffset;
    if (cell === undefined || cell === '') throw new ImportError({ file: path, line, column: columnName }, 'the value is missing');
    const value = Number(cell);
    if (!Number.isFinite(value)) throw new ImportError({ file: path, line, column: columnName }, `"${cell}" is not a finite number`);
    return value;
  };

  if (labelCol === -1) {
    if (body.length !== roiLabels.length) {
      throw new ImportError(
        { file: path },
        `${body.length} values, but the run's atlas has ${roiLabels.length} ROIs (one value per ROI, in the atlas's order)`,
      );
    }
    return body.map(valueOf);
  }

  const index = new Map(roiLabels.map((label, i) => [label.toLowerCase(), i]));
  const values: (number | undefined)[] = new Array<number | undefined>(roiLabels.length).fill(undefined);
  body.forEach((row, i) => {
    const line = i + lineOffset;
    const label = row[labelCol] ?? '';
    const roi = index.get(label.toLowerCase());
    if (roi === undefined)
      throw new ImportError({ file: path, line, column: header![labelCol] }, `"${label}" is not a ROI of the run's atlas`);
    if (values[roi] !== undefined) throw new ImportError({ file: path, line, column: header![labelCol] }, `"${label}" appears twice`);
    values[roi] = valueOf(row, i);
  });
  const missing = roiLabels.filter((_, i) => values[i] === undefined);
  if (missing.length > 0) {
    throw new ImportError(
      { file: path },
      `${missing.length} of the atlas's ${roiLabels.length} ROIs have no value (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''})`,
    );
  }
  return values as number[];
}
