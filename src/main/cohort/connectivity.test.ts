import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../synth/random';
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

  it('matches the exact Pearson correlation and atanh within float32 rounding, padding and masks included', () => {
    // 37 ROIs (not a multiple of the kernel's block of 4), strongly correlated pairs near the clip,
    // a large offset, and one constant ROI.
    const [timePoints, rois] = [150, 37];
    const random = new SeededRandom(7);
    const columns = Array.from({ length: rois }, () => Array.from({ length: timePoints }, () => random.normal()));
    for (let r = 1; r < rois; r += 2) columns[r] = columns[r - 1]!.map((x) => 1000 + x + (0.02 + r / 400) * random.normal());
    columns[5] = columns[5]!.map(() => 3.25);
    const values = Float64Array.from({ length: timePoints * rois }, (_, k) => columns[k % rois]![Math.floor(k / rois)]!);
    const { matrix, missing } = fisherZConnectivity(values, timePoints, rois);
    expect(Array.from(missing).flatMap((m, r) => (m ? [r] : []))).toEqual([5]);
    let worst = 0;
    for (let i = 0; i < rois; i += 1) {
      for (let j = 0; j < rois; j += 1) {
        const exact = i === j || i === 5 || j === 5 ? 0 : Math.atanh(Math.min(0.999, Math.max(-0.999, pearson(columns[i]!, columns[j]!))));
        worst = Math.max(worst, Math.abs(matrix[i * rois + j]! - exact) / Math.max(1, Math.abs(exact)));
      }
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('takes Fisher z as Math.atanh does, across the whole range and at the clip', () => {
    // ROI 0 against ROI k: exactly correlation r_k, by construction from two orthogonal, centred unit vectors.
    const rs = Array.from({ length: 999 }, (_, k) => -0.9995 + k * 0.001999).concat([0, 1e-9, -1e-9, 0.999, -0.999, 0.99899, 0.5]);
    const [a, c] = [[1, 0, -1].map((x) => x / Math.SQRT2), [1, -2, 1].map((x) => x / Math.sqrt(6))];
    const columns = [a, ...rs.map((r) => a.map((x, t) => r * x + Math.sqrt(1 - r * r) * c[t]!))];
    const rois = columns.length;
    const values = Float64Array.from({ length: 3 * rois }, (_, k) => columns[k % rois]![Math.floor(k / rois)]!);
    const { matrix } = fisherZConnectivity(values, 3, rois);
    rs.forEach((r, k) => {
      const exact = Math.atanh(Math.min(0.999, Math.max(-0.999, r)));
      expect(Math.abs(matrix[k + 1]! - exact), `r = ${r}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(exact)));
    });
  });
});
