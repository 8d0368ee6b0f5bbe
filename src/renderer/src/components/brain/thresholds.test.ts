import { describe, expect, it } from 'vitest';
import { cutoff, passes, percentile } from './thresholds';
import { topEdges } from './topEdges';
import { rankRois } from './topRois';

describe('thresholds', () => {
  it('takes percentiles as NumPy does (linear interpolation)', () => {
    // np.percentile([1, 2, 3, 4, 10], 80) = 5.2; np.percentile([-5, 1, 2], 50) = 1.0
    expect(percentile([10, 1, 3, 2, 4], 80)).toBeCloseTo(5.2, 12);
    expect(percentile([-5, 1, 2], 50)).toBe(1);
    expect(percentile([4, Number.NaN], 100)).toBe(4);
    expect(percentile([], 50)).toBeNaN();
  });

  it('turns an absolute or percentile threshold into a cut-off on |value|', () => {
    expect(cutoff([1, -3, 2], { kind: 'absolute', value: -2 })).toBe(2);
    // |values| = 1, 3, 2, 4: the 50th percentile is 2.5.
    expect(cutoff([1, -3, 2, 4], { kind: 'percentile', percent: 50 })).toBe(2.5);
    expect(passes([1, -3, 2, Number.NaN], 2)).toEqual([false, true, true, false]);
  });

  it('ranks ROIs by value, or by |value| for a signed map', () => {
    expect(rankRois([0.1, 0.5, -0.9, 0.3], false, 2)).toEqual([1, 3]);
    expect(rankRois([0.1, 0.5, -0.9, 0.3], true, 2)).toEqual([2, 1]);
  });

  it('keeps the strongest edges among the top-k ROIs', () => {
    // 4 ROIs; map ranks ROIs 3, 1, 0 as the top three; ROI 2 is left out.
    const map = [0.3, 0.5, 0.1, 0.9];
    const d = [
      [0, 0.2, 0.9, -0.6],
      [0.2, 0, 0.8, 0.1],
      [0.9, 0.8, 0, 0.7],
      [-0.6, 0.1, 0.7, 0],
    ].flat();
    expect(topEdges(d, 4, map, 3, { kind: 'absolute', value: 0.15 })).toEqual([
      { from: 0, to: 3, value: -0.6 },
      { from: 0, to: 1, value: 0.2 },
    ]);
    // Candidates |0.2|, |0.6|, |0.1|: the 50th percentile is 0.2.
    expect(topEdges(d, 4, map, 3, { kind: 'percentile', percent: 50 }).map((e) => e.value)).toEqual([-0.6, 0.2]);
    expect(topEdges(d, 4, map, 3, { kind: 'percentile', percent: 100 }).map((e) => e.value)).toEqual([-0.6]);
  });
});
