import * as tf from './tf';
import { symmetricEigen } from './symmetricEigen';

/**
 * The whole-connectome token's fixed input basis (config.connectomeComponents k > 0): the first k
 * principal components of the training subjects' edge vectors, scaled by one common factor, so
 * that x [1, E] times the basis [E, k] gives the subject's component scores (less a constant,
 * which the token's bias absorbs) with a mean variance of 1 over the k components. The scores keep
 * their relative variances, as the edges' own scale would (whitening them gave a lower AUC). Found through the subjects' Gram
 * matrix (n x n for n training subjects), so it costs O(n^2 E + n^3), not O(E^2). k is capped at
 * n - 1, and components with no variance are left out. Returns the [E, k'] matrix, row-major.
 */
export function connectomeBasis(edges: Float32Array, e: number, fit: number[], k: number): { values: Float32Array; components: number } {
  const n = fit.length;
  const mean = new Float64Array(e);
  for (const s of fit) for (let j = 0; j < e; j += 1) mean[j]! += edges[s * e + j]! / n;
  const centred = new Float32Array(n * e);
  fit.forEach((s, i) => {
    for (let j = 0; j < e; j += 1) centred[i * e + j] = edges[s * e + j]! - mean[j]!;
  });
  return tf.tidy(() => {
    const x = tf.tensor2d(centred, [n, e]);
    const xt = tf.transpose(x);
    const gram = Float64Array.from(tf.matMul(x, xt).dataSync());
    const { values, vectors } = symmetricEigen(gram, n);
    const largest = values[0] ?? 0;
    const kept = Array.from({ length: Math.min(k, n - 1) }, (_, c) => c).filter((c) => values[c]! > 1e-9 * largest);
    // Component c's unit direction is X^T u_c / sqrt(l_c), and its scores' variance l_c / n; one common
    // factor scales the scores to a mean variance of 1, keeping their relative variances.
    const common = Math.sqrt((kept.length * n) / kept.reduce((sum, c) => sum + values[c]!, 0));
    const weights = new Float32Array(n * kept.length);
    kept.forEach((c, col) => {
      const factor = common / Math.sqrt(values[c]!);
      for (let i = 0; i < n; i += 1) weights[i * kept.length + col] = vectors[i * n + c]! * factor;
    });
    const basis = tf.matMul(xt, tf.tensor2d(weights, [n, kept.length]));
    return { values: new Float32Array(basis.dataSync()), components: kept.length };
  });
}
