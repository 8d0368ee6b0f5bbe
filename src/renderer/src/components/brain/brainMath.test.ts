import { describe, expect, it } from 'vitest';
import { writeEdgeFile, writeNodeFile } from './brainNet';
import { colourAt, cssGradient } from './colourMaps';
import { MAX_RADIUS_MM, MIN_RADIUS_MM, nodeStyle, normalise, valueRange } from './nodeStyle';
import { ranks, spearman, spearmanPermutationTest } from './spearman';
import { cutoff, passes, percentile } from './thresholds';
import { topEdges } from './topEdges';
import { rankRois } from './topRois';

describe('colour and size mapping', () => {
  it('interpolates between colour-map stops and clamps outside [0, 1]', () => {
    expect(colourAt('hot', 0)).toEqual([0.0416, 0, 0]);
    expect(colourAt('hot', 1)).toEqual([1, 1, 1]);
    expect(colourAt('hot', 2)).toEqual([1, 1, 1]);
    expect(colourAt('hot', Number.NaN)).toEqual([0.0416, 0, 0]);
    // hot has 7 stops: t = 0.25 lies halfway between stop 1 [0.5, 0, 0] and stop 2 [1, 0, 0].
    expect(colourAt('hot', 0.25)).toEqual([0.75, 0, 0]);
    expect(cssGradient('coolwarm')).toMatch(/^linear-gradient\(to right, rgb\(59, 76, 192\) 0\.0%, .* rgb\(180, 4, 38\) 100\.0%\)$/);
  });

  it('spans the finite values, symmetrically around 0 for a signed map', () => {
    expect(valueRange([0.2, 0.5, Number.NaN, 0.3])).toEqual({ min: 0.2, max: 0.5, signed: false });
    expect(valueRange([-0.1, 0.4, 0])).toEqual({ min: -0.4, max: 0.4, signed: true });
    expect(valueRange([])).toEqual({ min: 0, max: 1, signed: false });
    expect(normalise(0.35, { min: 0.2, max: 0.5, signed: false })).toBeCloseTo(0.5, 12);
    expect(normalise(7, { min: 7, max: 7, signed: false })).toBe(0.5);
  });

  it('sizes nodes by strength: from the low end, or from 0 for a signed map', () => {
    const range = { min: 0, max: 10, signed: false };
    expect(nodeStyle(0, range, 'viridis').radius).toBe(MIN_RADIUS_MM);
    expect(nodeStyle(10, range, 'viridis').radius).toBe(MAX_RADIUS_MM);
    expect(nodeStyle(10, range, 'viridis').colour).toEqual(colourAt('viridis', 1));
    const signed = { min: -2, max: 2, signed: true };
    expect(nodeStyle(0, signed, 'coolwarm').radius).toBe(MIN_RADIUS_MM);
    expect(nodeStyle(-2, signed, 'coolwarm').radius).toBe(MAX_RADIUS_MM);
    expect(nodeStyle(2, signed, 'coolwarm').radius).toBe(MAX_RADIUS_MM);
    expect(nodeStyle(-2, signed, 'coolwarm').colour).toEqual(colourAt('coolwarm', 0));
  });
});

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

describe('BrainNet Viewer files', () => {
  it('writes "x y z colour size label" nodes and a symmetric edge matrix', () => {
    const nodes = [
      { label: 'Precentral_L', x: -38.65, y: -5.68, z: 50.94, value: 0.25 },
      { label: 'Frontal Pole', x: 1, y: 2, z: 3, value: -0.5 },
      { label: ' ', x: 0, y: 0, z: 0, value: Number.NaN },
    ];
    expect(writeNodeFile(nodes)).toBe(
      '-38.65\t-5.68\t50.94\t0.25\t0.25\tPrecentral_L\n1\t2\t3\t-0.5\t0.5\tFrontal_Pole\n0\t0\t0\t0\t0\t-\n',
    );
    expect(writeEdgeFile(3, [{ from: 0, to: 2, value: 0.125 }])).toBe('0\t0\t0.125\n0\t0\t0\n0.125\t0\t0\n');
    expect(() => writeEdgeFile(2, [{ from: 0, to: 2, value: 1 }])).toThrow('edge 0-2 names a node beyond the 2 nodes');
  });
});

describe('Spearman correlation and its permutation test', () => {
  const a = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
  const b = [2, 7, 1, 8, 2, 8, 1, 8, 2, 8];

  it('matches scipy.stats on tied data', () => {
    // scipy.stats.rankdata([3, 1, 4, 1, 5]) = [3, 1.5, 4, 1.5, 5]; spearmanr(a, b).statistic = 0.13471506281091267
    expect(Array.from(ranks([3, 1, 4, 1, 5]))).toEqual([3, 1.5, 4, 1.5, 5]);
    expect(spearman(a, b)).toBeCloseTo(0.13471506281091267, 12);
    expect(spearman([1, 2, 3], [30, 20, 10])).toBeCloseTo(-1, 12);
    expect(() => spearman([1, 2], [1])).toThrow('the maps have 2 and 1 values');
  });

  it('gives a seeded, reproducible p-value that is small for a real relation and large for none', () => {
    const first = spearmanPermutationTest(a, b, 2000, 7);
    expect(spearmanPermutationTest(a, b, 2000, 7)).toEqual(first);
    expect(first.rho).toBeCloseTo(0.1347, 4);
    // scipy's asymptotic p for these data is 0.71; the permutation p is near it.
    expect(first.p).toBeGreaterThan(0.6);
    expect(first.p).toBeLessThan(0.8);
    const x = Array.from({ length: 40 }, (_, i) => i + 0.3 * Math.sin(i * 12.9898));
    const y = x.map((v, i) => v + 4 * Math.cos(i * 78.233));
    const related = spearmanPermutationTest(x, y, 999, 1);
    expect(related.rho).toBeGreaterThan(0.9);
    // No permutation of 40 values reaches rho > 0.9: p is the smallest possible, 1 / 1000.
    expect(related.p).toBe(1 / 1000);
  });
});
