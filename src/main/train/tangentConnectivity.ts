import { TANGENT_SHRINKAGE } from '../../shared/trainDefaults';
import { symmetricEigen } from '../model/symmetricEigen';

/*
 * Why TANGENT_SHRINKAGE is 0.2: scans of 78 to 316 time points give correlation matrices of 200
 * regions that are singular or nearly so, and the matrix logarithm needs them well conditioned.
 * Ledoit-Wolf's estimate on the developer data ranged over 0.02–0.21 (mean 0.09); a fixed 0.2 needs
 * no time series, so cohorts imported as matrices get it too, and scored as well there
 * (docs/model.md, twentieth round).
 */

/**
 * The smallest eigenvalue a matrix keeps before its square root or logarithm. The correlation
 * matrix of one scan is positive semi-definite, so shrinkage keeps its eigenvalues at least
 * TANGENT_SHRINKAGE, and after whitening by a mean whose largest eigenvalue is at most R they stay
 * above 1e-3 for R = 200. Matrices imported from elsewhere need not be (a correlation matrix of
 * partial data, or one edited by hand): their eigenvalues below the floor are raised to it, so their
 * tangent values stay finite instead of failing the run.
 */
const EIGENVALUE_FLOOR = 1e-3;

/**
 * Every subject's connectivity in the tangent space at the reference subjects' mean (Varoquaux et
 * al. 2010; Dadi et al. 2019): with C_s the subject's correlation matrix, shrunk towards the
 * identity, and M the arithmetic mean of the reference subjects' C, the result is
 * log(M^-1/2 C_s M^-1/2), symmetric, in the layout of `fc` ([N, R, R], row-major). `fc` holds the
 * stored Fisher-z matrices (their diagonals are ignored), so r = tanh(z). Only the reference
 * subjects' matrices shape M, so with the fold's training subjects as the reference nothing of the
 * validation or test subjects reaches anyone else's values.
 */
export function tangentConnectivity(fc: Float32Array, rois: number, reference: number[], shrinkage = TANGENT_SHRINKAGE): Float32Array {
  const whitener = tangentWhitener(fc, rois, reference, shrinkage);
  const out = new Float32Array(fc.length);
  tangentRows(fc, rois, whitener, shrinkage, out);
  return out;
}

/** M^-1/2 for M the reference subjects' mean shrunk correlation matrix ([R, R], row-major). */
export function tangentWhitener(fc: Float32Array, rois: number, reference: number[], shrinkage = TANGENT_SHRINKAGE): Float64Array {
  const size = rois * rois;
  if (!Number.isInteger(fc.length / size))
    throw new Error(`tangentConnectivity: ${fc.length} values are not whole ${rois} x ${rois} matrices`);
  if (reference.length === 0) throw new Error('tangentConnectivity: no reference subjects');
  const mean = new Float64Array(size);
  for (const s of reference) {
    const c = shrunkCorrelation(fc, s, rois, shrinkage);
    for (let k = 0; k < size; k += 1) mean[k]! += c[k]! / reference.length;
  }
  return spectralFunction(mean, rois, (value) => 1 / Math.sqrt(value));
}

/** Writes log(W C_s W) into `out` for every subject s of `fc` ([N, R, R]), W the whitener: one eigendecomposition each. */
export function tangentRows(fc: Float32Array, rois: number, whitener: Float64Array, shrinkage: number, out: Float32Array): void {
  const size = rois * rois;
  const half = new Float64Array(size);
  const whitened = new Float64Array(size);
  for (let s = 0; s < fc.length / size; s += 1) {
    multiply(whitener, shrunkCorrelation(fc, s, rois, shrinkage), rois, half);
    multiply(half, whitener, rois, whitened);
    symmetrise(whitened, rois);
    const logarithm = spectralFunction(whitened, rois, Math.log);
    for (let k = 0; k < size; k += 1) out[s * size + k] = logarithm[k]!;
  }
}

/** Subject s's correlation matrix, tanh of its Fisher z off the diagonal times 1 - shrinkage, 1 on it. */
function shrunkCorrelation(fc: Float32Array, s: number, rois: number, shrinkage: number): Float64Array {
  const size = rois * rois;
  const out = new Float64Array(size);
  for (let i = 0; i < rois; i += 1) {
    for (let j = 0; j < rois; j += 1) {
      out[i * rois + j] = i === j ? 1 : (1 - shrinkage) * Math.tanh(fc[s * size + i * rois + j]!);
    }
  }
  return out;
}

/** V f(Λ) V^T for the symmetric matrix V Λ V^T, its eigenvalues raised to EIGENVALUE_FLOOR first. */
function spectralFunction(matrix: Float64Array, n: number, f: (value: number) => number): Float64Array {
  const { values, vectors } = symmetricEigen(matrix, n);
  const mapped = values.map((value) => f(Math.max(value, EIGENVALUE_FLOOR)));
  const scaled = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) for (let k = 0; k < n; k += 1) scaled[i * n + k] = vectors[i * n + k]! * mapped[k]!;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) {
    for (let j = i; j < n; j += 1) {
      let sum = 0;
      for (let k = 0; k < n; k += 1) sum += scaled[i * n + k]! * vectors[j * n + k]!;
      out[i * n + j] = sum;
      out[j * n + i] = sum;
    }
  }
  return out;
}

/** out = a b for n x n row-major matrices. */
function multiply(a: Float64Array, b: Float64Array, n: number, out: Float64Array): void {
  out.fill(0);
  for (let i = 0; i < n; i += 1) {
    for (let k = 0; k < n; k += 1) {
      const aik = a[i * n + k]!;
      if (aik === 0) continue;
      const row = k * n;
      const target = i * n;
      for (let j = 0; j < n; j += 1) out[target + j]! += aik * b[row + j]!;
    }
  }
}

/** Averages a matrix with its transpose, removing the rounding asymmetry of a product. */
function symmetrise(m: Float64Array, n: number): void {
  for (let i = 0; i < n; i += 1) {
    for (let j = i + 1; j < n; j += 1) {
      const mean = (m[i * n + j]! + m[j * n + i]!) / 2;
      m[i * n + j] = mean;
      m[j * n + i] = mean;
    }
  }
}
