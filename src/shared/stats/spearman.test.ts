import { describe, expect, it } from 'vitest';
import { ranks, spearman, spearmanPermutationTest } from './spearman';

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
