import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../tf/backend';
import { fitStandardised, logregFc, predict, standardise, upperTriangle } from './logregFc';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('logreg-fc', () => {
  const n = 60;
  const p = 30;
  const x = Float32Array.from(
    { length: n * p },
    (_, k) => Math.sin(Math.floor(k / p) * 7.3 + (k % p) * 1.1) + Math.cos(Math.floor(k / p) * (k % p) * 0.37),
  );
  const coefficients = Array.from({ length: p }, (_, j) => ((-1) ** j * (j % 5)) / 5);
  const y: number[] = Array.from({ length: n }, (_, i) => (coefficients.reduce((s, c, j) => s + c * x[i * p + j]!, 0) > 0.1 ? 1 : 0));

  it('matches scikit-learn StandardScaler + LogisticRegression(C) on the same data', () => {
    // Printed by scikit-learn 1.2.1 (tol 1e-8) for the same X and y, first six subjects.
    const expected: Record<number, number[]> = {
      0.001: [0.24502, 0.24462, 0.26333, 0.2826, 0.30234, 0.27518],
      1: [0.02688, 0.0576, 0.15335, 0.7353, 0.93656, 0.07558],
    };
    expect(y.reduce((a, b) => a + b, 0)).toBe(16);
    for (const [c, probabilities] of Object.entries(expected)) {
      const fitted = fitStandardised(x, n, p, y, Number(c));
      const got = predict(standardise(x.subarray(0, 6 * p), 6, p, fitted.standardiser), 6, p, fitted.model);
      probabilities.forEach((value, i) => expect(got[i]).toBeCloseTo(value, 2));
    }
  });

  it('takes the upper triangle and picks C by inner cross-validation', () => {
    const fc = Float32Array.from([0, 1, 2, 1, 0, 3, 2, 3, 0]);
    expect(Array.from(upperTriangle(fc, [0], 3))).toEqual([1, 2, 3]);
    const rois = 8;
    const subjects = 80;
    const dx = Int32Array.from({ length: subjects }, (_, i) => i % 2);
    const matrices = new Float32Array(subjects * rois * rois);
    for (let s = 0; s < subjects; s += 1) {
      for (let i = 0; i < rois; i += 1) {
        for (let j = 0; j < rois; j += 1) {
          if (i === j) continue;
          const noise = Math.sin(s * 13.1 + Math.min(i, j) * 3.7 + Math.max(i, j) * 1.3);
          matrices[s * 64 + i * 8 + j] = noise + (i < 2 && j < 2 ? dx[s]! * 0.8 : 0);
        }
      }
    }
    const train = Array.from({ length: 60 }, (_, i) => i);
    const test = Array.from({ length: 20 }, (_, i) => 60 + i);
    const result = logregFc(matrices, rois, dx, train, test, 0);
    expect(result.probabilities).toHaveLength(20);
    expect(result.innerAuc).toBeGreaterThan(0.9);
    const correct = result.probabilities.filter((p, k) => (p > 0.5 ? 1 : 0) === dx[60 + k]).length;
    expect(correct).toBeGreaterThanOrEqual(18);
  });
});
