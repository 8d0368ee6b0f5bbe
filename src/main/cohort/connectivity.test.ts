import { describe, expect, it } from 'vitest';
import { fisherZConnectivity } from './connectivity';

function pearson(a: number[], b: number[]): number {
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(a);
  const mb = mean(b);
  let num = 0;
  let da = 0;
  let db = 0;
  a.forEach((x, i) => {
    num += (x - ma) * (b[i]! - mb);
    da += (x - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  });
  return num / Math.sqrt(da * db);
}

describe('Fisher-z connectivity', () => {
  // Four time points (rows) of three ROIs (columns).
  const columns = [
    [1, 2, 3, 5],
    [2, 1, 4, 3],
    [9, 7, 4, 1],
  ];
  const values = Float64Array.from([0, 1, 2, 3].flatMap((t) => columns.map((c) => c[t]!)));

  it('is atanh of the Pearson correlation, with a zero diagonal', () => {
    const { matrix, missing } = fisherZConnectivity(values, 4, 3);
    expect(Array.from(missing)).toEqual([0, 0, 0]);
    for (let i = 0; i < 3; i += 1) {
      expect(matrix[i * 3 + i]).toBe(0);
      for (let j = 0; j < 3; j += 1) {
        if (i === j) continue;
        const r = Math.min(0.999, Math.max(-0.999, pearson(columns[i]!, columns[j]!)));
        expect(matrix[i * 3 + j]).toBeCloseTo(Math.atanh(r), 5);
      }
    }
  });

  it('clips perfect correlations at 0.999 before atanh', () => {
    const twins = Float64Array.from([1, 2, 2, 4, 3, 6]);
    const { matrix } = fisherZConnectivity(twins, 3, 2);
    expect(matrix[1]).toBeCloseTo(Math.atanh(0.999), 5);
  });

  it('masks a constant ROI: zero row and column, recorded as missing', () => {
    const withConstant = Float64Array.from([1, 5, 2, 2, 5, 1, 3, 5, 0]);
    const { matrix, missing } = fisherZConnectivity(withConstant, 3, 3);
    expect(Array.from(missing)).toEqual([0, 1, 0]);
    expect([matrix[1], matrix[3], matrix[5], matrix[7]]).toEqual([0, 0, 0, 0]);
    expect(Number.isFinite(matrix[2]!)).toBe(true);
    expect(matrix[2]).not.toBe(0);
  });
});
