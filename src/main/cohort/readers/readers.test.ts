import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../../test-support/tempDir';
import { ImportError } from '../importError';
import { readConnectivityMatrix } from './connectivityMatrix';
import { parseMat } from './matMatrix';
import { parseNpy } from './npyMatrix';
import { parsePhenotypeTable } from './phenotypeTable';
import { readSource, ReusedBuffer } from './sourceFile';
import { parseExact, parseTimeSeries } from './timeSeriesText';
import { ABIDE } from '../../../test-support/sharedData';
import { readdirSync } from 'node:fs';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => readSource(join(FIXTURES, name));

function importError(run: () => unknown): ImportError {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('expected an ImportError');
}

describe('time-series text', () => {
  const tempDir = useTempDir();
  const file = (name: string, content: string | Buffer): string => {
    const path = join(tempDir(), name);
    writeFileSync(path, content);
    return path;
  };
  const parse = (name: string, content: string | Buffer) => parseTimeSeries(readSource(file(name, content)));

  it('reads a PCP .1D file: a header of ROI names, then tab-separated rows', () => {
    const series = parse('X_rois_cc200.1D', '#1\t#2\t#3\n1\t2\t3\n4\t5\t6.5\n');
    expect(series.columns).toEqual(['#1', '#2', '#3']);
    expect(series.timePoints).toBe(2);
    expect(Array.from(series.values)).toEqual([1, 2, 3, 4, 5, 6.5]);
  });

  it('reads gzip by content, CR line endings, and files without a header', () => {
    const series = parse('s.1D.gz', gzipSync('1 2\r3 4\r'));
    expect(series.columns).toEqual(['1', '2']);
    expect(Array.from(series.values)).toEqual([1, 2, 3, 4]);
  });

  it('reads Athena (ADHD-200) time courses, dropping the bookkeeping columns and naming ROIs by code', () => {
    const series = parse('tc.1D', 'File\tSub-brick\tMean_2001\tMean_2002\nrest.nii\t0\t1.5\t2\nrest.nii\t1\t3\t4\n');
    expect(series.columns).toEqual(['2001', '2002']);
    expect(Array.from(series.values)).toEqual([1.5, 2, 3, 4]);
  });

  it('reads real files on its fast path exactly as the exact parser does', () => {
    for (const folder of [ABIDE.cc200, ABIDE.ho, ABIDE.devCc200]) {
      const name = readdirSync(folder)[7]!;
      const source = readSource(join(folder, name));
      const fast = parseTimeSeries(source);
      const exact = parseExact(source);
      expect(fast.columns).toEqual(exact.columns);
      expect(fast.timePoints).toBe(exact.timePoints);
      expect(Array.from(fast.values)).toEqual(Array.from(exact.values));
    }
    const tricky = parse('t.tsv', 'a\tb\tc\r\n1e-3\t-0.00001234567890123456\t+12\r\n 4 \t5.\t.5\r\n');
    expect(Array.from(tricky.values)).toEqual([0.001, Number('-0.00001234567890123456'), 12, 4, 5, 0.5]);
  });

  it.each([
    ['an empty file', '', 'e.1D: the file is empty'],
    ['a header and no rows (truncated)', '#1\t#2\n', 'h.1D: the file has a header but no time points (truncated?)'],
    ['a row cut short at the end (truncated)', '#1\t#2\n1\t2\n3', 'h.1D, line 3: expected 2 values, found 1 (is the file truncated?)'],
    ['a row with too many values', '#1\t#2\n1\t2\t3\n4\t5\n', 'h.1D, line 2: expected 2 values, found 3'],
    ['a word', '#1\t#2\n1\t2\n3\tabc\n', 'h.1D, line 3, column #2: "abc", not a number'],
    ['NaN', '#1\t#2\nNaN\t2\n', 'h.1D, line 2, column #1: "NaN" (NaN or infinite)'],
    ['Inf', '#1\t#2\n1\t-inf\n', 'h.1D, line 2, column #2: "-inf" (NaN or infinite)'],
    ['an empty cell', '#1\t#2\t#3\n1\t\t3\n', 'h.1D, line 2, column #2: an empty cell'],
    ['a duplicate ROI name', '#1\t#1\n1\t2\n', 'h.1D, line 1, column #1: this ROI name appears twice in the header'],
  ])('refuses %s, naming file, line and column', (_, content, message) => {
    const name = content === '' ? 'e.1D' : 'h.1D';
    expect(importError(() => parse(name, content)).message).toBe(message);
  });

  it('refuses binary garbage and broken gzip', () => {
    expect(importError(() => parse('b.1D', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]))).message).toBe(
      'b.1D: this is a binary file, not text (a NUL byte at offset 4)',
    );
    expect(importError(() => parse('c.1D.gz', gzipSync('#1\n1\n2\n').subarray(0, 12))).message).toMatch(
      /^c\.1D\.gz: the gzip data is truncated or corrupt/,
    );
    expect(importError(() => parse('d.1D.gz', '#1\n1\n')).message).toBe('d.1D.gz: the name ends in .gz but the content is not gzip');
  });
});

describe('phenotype table', () => {
  const tempDir = useTempDir();
  const parse = (content: string, name = 'pheno.csv') => {
    const path = join(tempDir(), name);
    writeFileSync(path, content);
    return parsePhenotypeTable(readSource(path));
  };

  it('reads quoted cells, CR line endings, a BOM and a blank first header cell', () => {
    const table = parse('\ufeff,ID,"Site, city"\r0,a,"KKI, Baltimore"\r1,b,NYU\r');
    expect(table.columns).toEqual(['(column 1)', 'ID', 'Site, city']);
    expect(table.rows).toEqual([
      { line: 2, cells: ['0', 'a', 'KKI, Baltimore'] },
      { line: 3, cells: ['1', 'b', 'NYU'] },
    ]);
  });

  it('reads a quoted line break (CR line endings) and skips blank rows, numbering lines as the file does', () => {
    expect(parse('ID,DX\ra,"x\ry"\rb,2\r').rows).toEqual([
      { line: 2, cells: ['a', 'x\ry'] },
      { line: 4, cells: ['b', '2'] },
    ]);
    expect(parse('ID,DX\n\na,1\n  ,  \nb,2\n').rows).toEqual([
      { line: 3, cells: ['a', '1'] },
      { line: 5, cells: ['b', '2'] },
    ]);
    expect(importError(() => parse('ID,DX\n\na,1\n\nb,2,3\n')).message).toBe(
      'pheno.csv, line 5: expected 2 cells as in the header, found 3',
    );
  });

  it('refuses unbalanced quotes and a ragged row among quoted cells, with the line', () => {
    expect(importError(() => parse('ID,DX\na,1\n"b,2\nc,3\n')).message).toBe(
      'pheno.csv, line 3: unbalanced quotes (Quoted field unterminated)',
    );
    expect(importError(() => parse('ID,DX\na,b"c\nd,"e\n')).message).toBe(
      'pheno.csv, line 3: unbalanced quotes (Quoted field unterminated)',
    );
    expect(importError(() => parse('ID,"D\nX"\r\na,"1,5"\r\nb,2,3\r\n')).message).toBe(
      'pheno.csv, line 4: expected 2 cells as in the header, found 3',
    );
  });

  it('detects tabs', () => {
    expect(parse('participant_id\tgroup\nsub-01\tASD\n', 'participants.tsv').columns).toEqual(['participant_id', 'group']);
  });

  it('refuses a wrong column count with the line', () => {
    expect(importError(() => parse('ID,DX\na,1\nb,2,3\n')).message).toBe('pheno.csv, line 3: expected 2 cells as in the header, found 3');
  });

  it('refuses a duplicate column and a table without rows', () => {
    expect(importError(() => parse('ID,DX,ID\na,1,a\n')).message).toBe(
      'pheno.csv, line 1, column ID: this column name appears twice in the header',
    );
    expect(importError(() => parse('ID,DX\n')).message).toBe('pheno.csv: the table has no data rows');
  });
});

describe('precomputed matrices', () => {
  const expected = [1, 0.5, -0.25, 0.5, 1, 0.1, -0.25, 0.1, 1];

  it('reads NumPy float64, float32 Fortran-order, big-endian and gzipped files', () => {
    expect(Array.from(parseNpy(fixture('corr3_f8.npy')).values)).toEqual(expected);
    expect(Array.from(parseNpy(fixture('corr3_bigendian.npy')).values)).toEqual(expected);
    expect(Array.from(parseNpy(fixture('corr3_f8.npy.gz')).values)).toEqual(expected);
    const fortran = parseNpy(fixture('corr3_f4_fortran.npy'));
    expect(Array.from(fortran.values).map((v) => Math.round(v * 1e6) / 1e6)).toEqual(expected);
  });

  it('refuses a wrong .npy dtype, shape or length', () => {
    expect(importError(() => parseNpy(fixture('complex.npy'))).message).toBe(
      "complex.npy: unsupported dtype '<c8'; expected float64, float32 or integers",
    );
    expect(importError(() => parseNpy(fixture('vector.npy'))).message).toBe('vector.npy: expected a 2-D array, found shape (3)');
    expect(importError(() => parseNpy(fixture('truncated.npy'))).message).toBe(
      'truncated.npy: truncated: shape (3, 3) needs 72 data bytes, the file has 64',
    );
    expect(importError(() => readConnectivityMatrix(fixture('not_square.npy'), 'auto')).message).toBe(
      'not_square.npy: a connectivity matrix must be square; this one is 3 x 4',
    );
  });

  it('reads MATLAB v5 files, compressed or not', () => {
    expect(Array.from(parseMat(fixture('corr3.mat')).get('connectivity')!.values)).toEqual(expected);
    const compressed = parseMat(fixture('corr3_compressed.mat')).get('fc')!;
    expect(Array.from(compressed.values).map((v) => Math.round(v * 1e6) / 1e6)).toEqual(expected);
    expect(importError(() => readConnectivityMatrix(fixture('two_matrices.mat'), 'auto')).message).toBe(
      'two_matrices.mat: expected one square matrix variable; found: a (3x3), b (3x3)',
    );
  });

  it('turns correlations into Fisher z and keeps z as it is', () => {
    const fromR = readConnectivityMatrix(fixture('corr3_f8.npy'), 'auto');
    expect(fromR.matrix[1]).toBeCloseTo(Math.atanh(0.5), 6);
    expect(fromR.matrix[0]).toBe(0);
    const asZ = readConnectivityMatrix(fixture('corr3_f8.npy'), 'fisher-z');
    expect(asZ.matrix[1]).toBeCloseTo(0.5, 6);
  });
});

describe('reused read buffer', () => {
  const tempDir = useTempDir();

  it('reads files of any size exactly, with the same hash and errors as a fresh read', () => {
    const dir = tempDir();
    const buffer = new ReusedBuffer();
    const large = Buffer.from(Array.from({ length: 3_000_000 }, (_, i) => (i * 7) % 251));
    for (const [name, content] of [
      ['small', Buffer.from('1\t2\n')],
      ['large', large],
      ['empty', Buffer.alloc(0)],
      ['again', Buffer.from('x')],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, content);
      const read = readSource(path, buffer);
      expect(Buffer.compare(read.content, content), name).toBe(0);
      expect(read.sha256).toBe(readSource(path).sha256);
    }
    expect(importError(() => readSource(join(dir, 'missing'), buffer)).message).toBe(
      importError(() => readSource(join(dir, 'missing'))).message,
    );
    expect(importError(() => readSource(dir, buffer)).message).toBe(importError(() => readSource(dir)).message);
  });
});
