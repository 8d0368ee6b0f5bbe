import { ImportError } from '../importError';
import { parseMat } from './matMatrix';
import { parseNpy, type NumericMatrix } from './npyMatrix';
import { decodeText, splitLines, type SourceBytes } from './sourceFile';
import type { Connectivity } from '../connectivity';

/** What the numbers in a precomputed matrix can be. 'auto' decides from the diagonal and the range. */
export const MATRIX_KINDS = ['auto', 'correlation', 'fisher-z'] as const;
export type MatrixKind = (typeof MATRIX_KINDS)[number];

const CLIP = 0.999;

function parseMatrixText(source: SourceBytes): NumericMatrix {
  const file = source.path;
  const lines = splitLines(decodeText(source)).filter((line) => line.trim() !== '');
  if (lines.length === 0) throw new ImportError({ file }, 'the file has no rows');
  const delimiter = lines[0]!.includes('\t') ? '\t' : lines[0]!.includes(',') ? ',' : /\s+/;
  let table = lines.map((line) =>
    line
      .trim()
      .split(delimiter)
      .map((cell) => cell.trim()),
  );
  let lineOffset = 1;
  const numeric = (cell: string): boolean => cell !== '' && !Number.isNaN(Number(cell));
  if (table[0]!.some((cell, i) => i > 0 && !numeric(cell))) {
    table = table.slice(1);
    lineOffset = 2;
  }
  if (table.length > 0 && table.every((row) => !numeric(row[0]!))) table = table.map((row) => row.slice(1));
  const rows = table.length;
  const cols = table[0]?.length ?? 0;
  const values = new Float64Array(rows * cols);
  table.forEach((row, r) => {
    if (row.length !== cols) throw new ImportError({ file, line: r + lineOffset }, `expected ${cols} values, found ${row.length}`);
    row.forEach((cell, c) => {
      const value = Number(cell);
      if (cell === '' || Number.isNaN(value))
        throw new ImportError({ file, line: r + lineOffset, column: String(c + 1) }, `"${cell.slice(0, 40)}" is not a number`);
      values[r * cols + c] = value;
    });
  });
  return { rows, cols, values };
}

function pickMatVariable(source: SourceBytes): NumericMatrix {
  const matrices = parseMat(source);
  const square = [...matrices].filter(([, m]) => m.rows === m.cols && m.rows > 1);
  if (square.length === 1) return square[0]![1];
  const preferred = square.find(([name]) => /^(connectivity|conn|fc|corr|correlation|r|z)$/i.test(name));
  if (preferred) return preferred[1];
  const names = [...matrices].map(([name, m]) => `${name} (${m.rows}x${m.cols})`).join(', ') || 'none';
  throw new ImportError({ file: source.path }, `expected one square matrix variable; found: ${names}`);
}

/** Reads one subject's precomputed connectivity matrix (.npy, .mat, or CSV/TSV text). */
export function readConnectivityMatrix(source: SourceBytes, kind: MatrixKind): Connectivity {
  const file = source.path;
  const name = file.replace(/\.gz$/i, '').toLowerCase();
  const matrix = name.endsWith('.npy') ? parseNpy(source) : name.endsWith('.mat') ? pickMatVariable(source) : parseMatrixText(source);
  const { rows, cols, values } = matrix;
  if (rows !== cols || rows < 2) throw new ImportError({ file }, `a connectivity matrix must be square; this one is ${rows} x ${cols}`);
  const n = rows;
  const at = (i: number, j: number): number => values[i * n + j]!;
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j < n; j += 1) {
      const value = at(i, j);
      if (i !== j && !Number.isFinite(value))
        throw new ImportError({ file, line: i + 1, column: String(j + 1) }, `${value} off the diagonal`);
      if (j > i && Math.abs(value - at(j, i)) > 1e-4 * Math.max(1, Math.abs(value))) {
        throw new ImportError(
          { file, line: i + 1, column: String(j + 1) },
          `the matrix is not symmetric (${value} here, ${at(j, i)} at row ${j + 1}, column ${i + 1})`,
        );
      }
    }
  }
  let resolved = kind;
  if (resolved === 'auto') {
    let withinUnit = true;
    let unitDiagonal = true;
    for (let i = 0; i < n; i += 1) {
      if (Math.abs(at(i, i) - 1) > 1e-3) unitDiagonal = false;
      for (let j = 0; j < n; j += 1) if (i !== j && Math.abs(at(i, j)) > 1) withinUnit = false;
    }
    resolved = withinUnit && unitDiagonal ? 'correlation' : 'fisher-z';
  }
  const out = new Float32Array(n * n);
  const missing = new Uint8Array(n);
  for (let i = 0; i < n; i += 1) {
    let allZero = true;
    for (let j = 0; j < n; j += 1) if (i !== j && at(i, j) !== 0) allZero = false;
    if (allZero) missing[i] = 1;
  }
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j < n; j += 1) {
      if (i === j || missing[i] || missing[j]) continue;
      const value = at(i, j);
      if (resolved === 'correlation' && Math.abs(value) > 1) {
        throw new ImportError(
          { file, line: i + 1, column: String(j + 1) },
          `${value} is outside [-1, 1], so this is not a correlation matrix`,
        );
      }
      out[i * n + j] = resolved === 'correlation' ? Math.atanh(Math.min(CLIP, Math.max(-CLIP, value))) : value;
    }
  }
  return { rois: n, matrix: out, missing };
}
