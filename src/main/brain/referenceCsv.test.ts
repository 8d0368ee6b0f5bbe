import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/tempDir';
import { readReferenceCsv } from './referenceCsv';

const LABELS = ['Precentral_L', 'Precentral_R', 'Insula_L'];

describe('reading a reference map CSV', () => {
  const tempDir = useTempDir();
  const file = (name: string, text: string): string => {
    const path = join(tempDir(), name);
    writeFileSync(path, text);
    return path;
  };

  it('reads one value per ROI, with or without a header', () => {
    expect(readReferenceCsv(file('plain.csv', '0.5\n-1\n2e-3\n'), LABELS)).toEqual([0.5, -1, 0.002]);
    expect(readReferenceCsv(file('header.csv', 'meta_analysis\r\n1\r\n2\r\n3\r\n'), LABELS)).toEqual([1, 2, 3]);
  });

  it('matches rows to ROIs by label, in any order', () => {
    const path = file('labelled.csv', 'label,value\nInsula_L,3\nprecentral_l,1\nPrecentral_R,2\n');
    expect(readReferenceCsv(path, LABELS)).toEqual([1, 2, 3]);
  });

  it('refuses a wrong ROI count, naming the file and both counts', () => {
    expect(() => readReferenceCsv(file('short.csv', '1\n2\n'), LABELS)).toThrow(
      "short.csv: 2 values, but the run's atlas has 3 ROIs (one value per ROI, in the atlas's order)",
    );
  });

  it('refuses NaN and text, naming the file, line and column', () => {
    expect(() => readReferenceCsv(file('nan.csv', 'value\n1\nNaN\n3\n'), LABELS)).toThrow(
      'nan.csv, line 3, column value: "NaN" is not a finite number',
    );
    expect(() => readReferenceCsv(file('text.csv', 'label,value\nInsula_L,3\nPrecentral_L,high\n'), LABELS)).toThrow(
      'text.csv, line 3, column value: "high" is not a finite number',
    );
    expect(() => readReferenceCsv(file('gap.csv', '1\n\n'), LABELS)).toThrow("gap.csv: 1 values, but the run's atlas has 3 ROIs");
  });

  it('refuses unknown, repeated and missing labels', () => {
    expect(() => readReferenceCsv(file('unknown.csv', 'label,value\nHippocampus_L,1\n'), LABELS)).toThrow(
      `unknown.csv, line 2, column label: "Hippocampus_L" is not a ROI of the run's atlas`,
    );
    expect(() => readReferenceCsv(file('twice.csv', 'label,value\nInsula_L,1\nInsula_L,2\n'), LABELS)).toThrow(
      'twice.csv, line 3, column label: "Insula_L" appears twice',
    );
    expect(() => readReferenceCsv(file('partial.csv', 'label,value\nInsula_L,1\n'), LABELS)).toThrow(
      "partial.csv: 2 of the atlas's 3 ROIs have no value (Precentral_L, Precentral_R)",
    );
    expect(() => readReferenceCsv(file('cols.csv', 'label,weight_x\nInsula_L,1\n'), LABELS)).toThrow(
      'cols.csv, line 1: no "value" column: name the column of values "value"',
    );
  });
});
