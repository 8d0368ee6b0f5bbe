import { solveSymmetric } from './solveSymmetric';
import * as tf from './tf';

/**
 * A linear erasure of the sensitive groups' mean differences from an embedding, fitted on a set of
 * subjects: x' = x − ((x − mean) reader) writer. The writer's rows span the groups' offsets within
 * each diagnosis (orthonormal); the reader reads each embedding's coordinates along them in the
 * metric of the features' within-diagnosis covariance S, reader = S⁻¹ Wᵀ (W S⁻¹ Wᵀ)⁻¹ for W the
 * writer. Over the fitted subjects each group of each diagnosis then has its diagnosis's mean (the
 * map fixes the mean and sends every offset to zero), so no linear probe finds a group from a mean
 * difference there; and of all such maps this one changes the embeddings least in S's metric (the
 * oblique projection of LEACE, Belrose et al. 2023): it reads the groups along their discriminant
 * directions, not along the directions of largest variance, where the diagnosis lies.
 */
export interface GroupEraser {
  /** [F]: the fitted subjects' mean. */
  mean: Float32Array;
  /** [F, k]: S⁻¹ Wᵀ (W S⁻¹ Wᵀ)⁻¹. */
  reader: Float32Array;
  /** [k, F]: orthonormal rows spanning the group offsets; k may be 0. */
  writer: Float32Array;
  width: number;
}

/** Below this share of its own length, an offset is taken to lie in the span of the earlier ones. */
const DEPENDENT = 1e-6;
/** The ridge added to S's diagonal, as a share of its mean variance, so that it can be solved with more features than subjects. */
const RIDGE = 1e-3;

/**
 * Fits the eraser on `features` [n, width] (row per subject). `codes[0]` is the diagnosis,
 * `codes[a]` attribute a's groups (-1 missing; such subjects and those without a diagnosis give no
 * offset). For each attribute and diagnosis, each group's mean minus the diagnosis's mean is one
 * offset; the writer is those offsets made orthonormal (Gram-Schmidt), dropping dependent ones.
 */
export function fitGroupEraser(features: Float32Array, width: number, codes: ArrayLike<number>[]): GroupEraser {
  const n = features.length / width;
  const mean = new Float64Array(width);
  for (let i = 0; i < n; i += 1) for (let f = 0; f < width; f += 1) mean[f] = mean[f]! + features[i * width + f]! / n;
  const dx = codes[0]!;
  const sums = new Map<string, { count: number; total: Float64Array }>();
  const add = (key: string, i: number): void => {
    const entry = sums.get(key) ?? { count: 0, total: new Float64Array(width) };
    entry.count += 1;
    for (let f = 0; f < width; f += 1) entry.total[f] = entry.total[f]! + features[i * width + f]!;
    sums.set(key, entry);
  };
  for (let i = 0; i < n; i += 1) if (dx[i]! >= 0) add(`dx:${dx[i]}`, i);
  for (let a = 1; a < codes.length; a += 1)
    for (let i = 0; i < n; i += 1) {
      if (dx[i]! < 0 || codes[a]![i]! < 0) continue;
      add(`${a}:${dx[i]}`, i);
      add(`${a}:${dx[i]}:${codes[a]![i]}`, i);
    }
  const basis: Float64Array[] = [];
  for (const [key, { count, total }] of sums) {
    const parts = key.split(':');
    if (parts.length !== 3) continue;
    const all = sums.get(`${parts[0]}:${parts[1]}`)!;
    const offset = Float64Array.from(total, (t, f) => t / count - all.total[f]! / all.count);
    const length = Math.hypot(...offset);
    for (const row of basis) {
      const along = row.reduce((s, v, f) => s + v * offset[f]!, 0);
      for (let f = 0; f < width; f += 1) offset[f] = offset[f]! - along * row[f]!;
    }
    const left = Math.hypot(...offset);
    if (length === 0 || left <= DEPENDENT * length) continue;
    basis.push(offset.map((v) => v / left));
  }
  const k = basis.length;
  const writer = new Float32Array(k * width);
  basis.forEach((row, r) => writer.set(row, r * width));
  const within = withinDiagnosisCovariance(features, width, dx, sums);
  const discriminant = basis.map((row) => solveSymmetric(within, row, width));
  const gram = new Float64Array(k * k);
  for (let r = 0; r < k; r += 1)
    for (let q = 0; q < k; q += 1) gram[r * k + q] = basis[r]!.reduce((s, v, f) => s + v * discriminant[q]![f]!, 0);
  const inverse = basis.map((_, q) =>
    solveSymmetric(
      gram,
      Float64Array.from({ length: k }, (_, r) => (r === q ? 1 : 0)),
      k,
    ),
  );
  const reader = new Float32Array(width * k);
  for (let f = 0; f < width; f += 1)
    for (let q = 0; q < k; q += 1) reader[f * k + q] = discriminant.reduce((s, d, r) => s + d[f]! * inverse[q]![r]!, 0);
  return { mean: Float32Array.from(mean), reader, writer, width };
}

/** S + ridge: the features' covariance about each subject's diagnosis's mean, over the subjects with a diagnosis. */
function withinDiagnosisCovariance(
  features: Float32Array,
  width: number,
  dx: ArrayLike<number>,
  sums: Map<string, { count: number; total: Float64Array }>,
): Float64Array {
  const matrix = new Float64Array(width * width);
  const centred = new Float64Array(width);
  let used = 0;
  for (let i = 0; i < dx.length; i += 1) {
    const group = sums.get(`dx:${dx[i]}`);
    if (!group) continue;
    used += 1;
    for (let f = 0; f < width; f += 1) centred[f] = features[i * width + f]! - group.total[f]! / group.count;
    for (let f = 0; f < width; f += 1)
      for (let g = 0; g <= f; g += 1) matrix[f * width + g] = matrix[f * width + g]! + centred[f]! * centred[g]!;
  }
  let trace = 0;
  for (let f = 0; f < width; f += 1) trace += matrix[f * width + f]! / Math.max(used, 1);
  const ridge = (RIDGE * trace) / width + 1e-12;
  for (let f = 0; f < width; f += 1)
    for (let g = 0; g <= f; g += 1) {
      const value = matrix[f * width + g]! / Math.max(used, 1) + (f === g ? ridge : 0);
      matrix[f * width + g] = value;
      matrix[g * width + f] = value;
    }
  return matrix;
}

/** `values` [B, F] erased: x − ((x − mean) reader) writer. */
export function eraseGroups(eraser: GroupEraser, values: tf.Tensor2D): tf.Tensor2D {
  const k = eraser.writer.length / eraser.width;
  if (k === 0) return values;
  return tf.tidy(() => {
    const centred = tf.sub(values, tf.tensor2d(eraser.mean, [1, eraser.width]));
    const along = tf.matMul(centred, tf.tensor2d(eraser.reader, [eraser.width, k]));
    return tf.sub(values, tf.matMul(along, tf.tensor2d(eraser.writer, [k, eraser.width]))) as tf.Tensor2D;
  });
}
