import { groupStatistics, withinDiagnosisCovariance } from './groupStatistics';
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

/** Fewer subjects of a diagnosis with a covariate value than this give no covariance direction. */
export const MIN_COVARIATE_SUBJECTS = 5;

/**
 * Within each diagnosis, the features' covariance with a continuous covariate (NaN where unknown):
 * the direction along which the embedding follows it there. Erasing it leaves the features with no
 * covariance with the covariate within any diagnosis, so no linear read of them follows it.
 */
function covarianceDirections(features: Float32Array, width: number, dx: ArrayLike<number>, covariate: ArrayLike<number>): Float64Array[] {
  const byDiagnosis = new Map<number, number[]>();
  for (let i = 0; i < dx.length; i += 1) {
    if (dx[i]! < 0 || !Number.isFinite(covariate[i]!)) continue;
    const members = byDiagnosis.get(dx[i]!) ?? [];
    members.push(i);
    byDiagnosis.set(dx[i]!, members);
  }
  return [...byDiagnosis.values()]
    .filter((members) => members.length >= MIN_COVARIATE_SUBJECTS)
    .map((members) => {
      // The centred covariate's weights sum to zero, so the features need no centring of their own.
      const covariateMean = members.reduce((sum, i) => sum + covariate[i]!, 0) / members.length;
      const direction = new Float64Array(width);
      for (const i of members) {
        const weight = (covariate[i]! - covariateMean) / members.length;
        for (let f = 0; f < width; f += 1) direction[f] = direction[f]! + weight * features[i * width + f]!;
      }
      return direction;
    });
}

/**
 * Fits the eraser on `features` [n, width] (row per subject). `codes[0]` is the diagnosis,
 * `codes[a]` attribute a's groups (-1 missing; such subjects and those without a diagnosis give no
 * offset). For each attribute and diagnosis, each group's mean minus the diagnosis's mean is one
 * offset; each of `covariates` (a value per subject, NaN where unknown) adds its covariance
 * direction within each diagnosis. The writer is those directions made orthonormal (Gram-Schmidt),
 * dropping dependent ones.
 */
export function fitGroupEraser(
  features: Float32Array,
  width: number,
  codes: ArrayLike<number>[],
  covariates: ArrayLike<number>[] = [],
): GroupEraser {
  const n = features.length / width;
  const mean = new Float64Array(width);
  for (let i = 0; i < n; i += 1) for (let f = 0; f < width; f += 1) mean[f] = mean[f]! + features[i * width + f]! / n;
  const statistics = groupStatistics(features, width, codes);
  const basis: Float64Array[] = [];
  const directions = [
    ...statistics.offsets.values(),
    ...covariates.flatMap((covariate) => covarianceDirections(features, width, codes[0]!, covariate)),
  ];
  for (const offset of directions) {
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
  const within = withinDiagnosisCovariance(features, statistics, (trace) => (RIDGE * trace) / width + 1e-12);
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
