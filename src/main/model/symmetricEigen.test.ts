import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../synth/random';
import { symmetricEigen } from './symmetricEigen';

function randomSymmetric(random: SeededRandom, n: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1)
    for (let j = i; j < n; j += 1) {
      const value = random.normal();
      a[i * n + j] = value;
      a[j * n + i] = value;
    }
  return a;
}

/** The largest |A v_k - l_k v_k| and |V^T V - I| entries. */
function residuals(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array): { eigen: number; orthogonality: number } {
  let eigen = 0;
  let orthogonality = 0;
  for (let k = 0; k < n; k += 1) {
    for (let i = 0; i < n; i += 1) {
      let av = 0;
      for (let j = 0; j < n; j += 1) av += a[i * n + j]! * vectors[j * n + k]!;
      eigen = Math.max(eigen, Math.abs(av - values[k]! * vectors[i * n + k]!));
    }
    for (let m = 0; m < n; m += 1) {
      let dot = 0;
      for (let i = 0; i < n; i += 1) dot += vectors[i * n + k]! * vectors[i * n + m]!;
      orthogonality = Math.max(orthogonality, Math.abs(dot - (k === m ? 1 : 0)));
    }
  }
  return { eigen, orthogonality };
}

describe('symmetric eigendecomposition', () => {
  it('gives orthonormal eigenvectors with A v = l v, largest eigenvalue first', () => {
    for (const n of [1, 2, 9, 120]) {
      const a = randomSymmetric(new SeededRandom(n), n);
      const { values, vectors } = symmetricEigen(a, n);
      for (let k = 1; k < n; k += 1) expect(values[k]!).toBeLessThanOrEqual(values[k - 1]!);
      const { eigen, orthogonality } = residuals(a, n, values, vectors);
      expect(eigen).toBeLessThan(1e-10);
      expect(orthogonality).toBeLessThan(1e-12);
    }
  });

  it('handles repeated eigenvalues, zero rows and a diagonal matrix', () => {
    const n = 6;
    const diagonal = new Float64Array(n * n);
    [3, -1, 3, 0, 2, 3].forEach((value, i) => (diagonal[i * n + i] = value));
    expect(Array.from(symmetricEigen(diagonal, n).values)).toEqual([3, 3, 3, 2, 0, -1]);
    // A rank-one matrix v v^T with one zero row: eigenvalues |v|^2 and five zeros.
    const v = [1, 2, 0, -2, 1, 3];
    const outer = new Float64Array(n * n);
    for (let i = 0; i < n; i += 1) for (let j = 0; j < n; j += 1) outer[i * n + j] = v[i]! * v[j]!;
    const { values, vectors } = symmetricEigen(outer, n);
    expect(values[0]).toBeCloseTo(19, 12);
    for (let k = 1; k < n; k += 1) expect(Math.abs(values[k]!)).toBeLessThan(1e-12);
    expect(residuals(outer, n, values, vectors).orthogonality).toBeLessThan(1e-12);
  });

  it('refuses a value count that is not n x n', () => {
    expect(() => symmetricEigen(new Float64Array(5), 2)).toThrow('5 values for 2 x 2');
  });
});
