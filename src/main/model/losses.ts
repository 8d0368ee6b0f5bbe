import { groupStatistics, withinDiagnosisCovariance } from './groupStatistics';
import { solveSymmetric } from './solveSymmetric';
import { oneHotRows } from './oneHot';
import * as tf from './tf';

const NEG = -1e9;

/**
 * CALT for one attribute (spec "CALT"): the mean of brain->text cross-entropy over candidate tokens
 * and the multi-positive text->brain InfoNCE over the batch. `sim` is [B, C]; `codes[i]` is subject
 * i's token in [0, C) or -1 when missing (left out). Null when no subject carries the attribute.
 */
export function caltLoss(sim: tf.Tensor2D, codes: ArrayLike<number>): tf.Scalar | null {
  const rows: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < codes.length; i += 1) {
    if (codes[i]! >= 0) {
      rows.push(i);
      labels.push(codes[i]!);
    }
  }
  if (rows.length === 0) return null;
  const candidates = sim.shape[1];
  const present = [...new Set(labels)].sort((a, b) => a - b);
  // Row and column selections are products with 0/1 matrices: gather's gradient
  // (UnsortedSegmentSum) has no wasm kernel.
  const selectRows = (x: tf.Tensor2D): tf.Tensor2D => (rows.length === codes.length ? x : tf.matMul(selection(rows, codes.length), x));
  return tf.tidy(() => {
    const s = selectRows(sim);
    const onehot = oneHotRows(labels, candidates);
    const brainToText = tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.logSoftmax(s)), 1)));
    const columns = tf.transpose(selection(present, candidates));
    const presentScores = tf.matMul(s, columns);
    const positives = tf.matMul(onehot, columns);
    const all = tf.logSumExp(presentScores, 0);
    const positive = tf.logSumExp(tf.add(presentScores, tf.mul(tf.sub(1, positives), NEG)), 0);
    const textToBrain = tf.mean(tf.sub(all, positive));
    return tf.mul(tf.add(brainToText, textToBrain), 0.5) as tf.Scalar;
  });
}

/** A [picked.length, size] 0/1 matrix whose row k selects element picked[k]. */
function selection(picked: number[], size: number): tf.Tensor2D {
  const values = new Float32Array(picked.length * size);
  picked.forEach((index, k) => (values[k * size + index] = 1));
  return tf.tensor2d(values, [picked.length, size]);
}

/**
 * The CALT loss a brain side with no information gets on this batch: b2t at the best constant
 * prediction (the entropy of the batch's token frequencies) and t2b with equal scores.
 */
export function caltChanceLevel(codes: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  let n = 0;
  for (let i = 0; i < codes.length; i += 1) {
    if (codes[i]! < 0) continue;
    counts.set(codes[i]!, (counts.get(codes[i]!) ?? 0) + 1);
    n += 1;
  }
  if (n === 0) return Number.NaN;
  const p = [...counts.values()].map((c) => c / n);
  const entropy = -p.reduce((sum, q) => sum + q * Math.log(q), 0);
  const t2b = p.reduce((sum, q) => sum - Math.log(q), 0) / p.length;
  return 0.5 * (entropy + t2b);
}

/**
 * A sensitive attribute's CALT computed separately within each group (each diagnosis, for
 * equalised odds) and averaged weighted by the subjects in each, with the matching chance level;
 * `groups` null is one group (the spec). Null when no subject carries the attribute.
 */
export function caltWithinGroups(
  sim: tf.Tensor2D,
  codes: ArrayLike<number>,
  groups: ArrayLike<number> | null,
): { loss: tf.Scalar; chance: number } | null {
  const parts = groups === null ? [Int32Array.from(codes)] : splitByGroup(codes, groups);
  const counts = parts.map((part) => part.filter((c) => c >= 0).length);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  let loss = tf.scalar(0);
  let chance = 0;
  parts.forEach((part, k) => {
    const term = counts[k]! > 0 ? caltLoss(sim, part) : null;
    if (!term) return;
    loss = tf.add(loss, tf.mul(term, counts[k]! / total));
    chance += (caltChanceLevel(part) * counts[k]!) / total;
  });
  return { loss, chance };
}

/** One copy of `codes` per group present, with -1 for the subjects outside it. */
export function splitByGroup(codes: ArrayLike<number>, groups: ArrayLike<number>): Int32Array[] {
  const present = [...new Set(Array.from(groups))].sort((a, b) => a - b);
  return present.map((group) => Int32Array.from(codes, (c, i) => (groups[i] === group ? c : -1)));
}

/** Bhattacharyya coefficient per row of two [B, R] distributions: sum_r sqrt(p q). */
export function bhattacharyya(p: tf.Tensor2D, q: tf.Tensor2D): tf.Tensor1D {
  return tf.sum(tf.sqrt(tf.add(tf.mul(p, q), 1e-12)), 1) as tf.Tensor1D;
}

/**
 * How betweenGroupVariance scales each column's between-group variance: as it is ('absolute'); as a
 * share of the column's variance within the diagnosis ('share', the groups' R², which no rescaling
 * of a column, and no separation of the diagnoses, changes); or as that share over its expectation
 * when the group labels are shuffled within the diagnosis, (G − 1) / (n − 1) for G groups of n
 * subjects ('chance'), so that an attribute with many small groups and one with two large ones both
 * give about 1 when the column carries no group signal.
 */
export type GroupVarianceScale = 'absolute' | 'share' | 'chance';

/** One row per group of each diagnosis with at least two groups in the batch (see groupContrasts). */
interface GroupContrasts {
  /** [rows, B]: the group's mean minus its diagnosis's mean, as weights on the batch's subjects. */
  contrasts: number[][];
  /** [rows, B]: the mean over the row's diagnosis's subjects. */
  averages: number[][];
  /** Per row, n_g / n, over (G − 1) / (n − 1) on the chance scale. */
  weights: number[];
  /** Per row, its diagnosis and group codes. */
  keys: [number, number][];
}

/** The batch's groups within each diagnosis; subjects missing either code are left out. Null when no diagnosis has two groups. */
function groupContrasts(dx: ArrayLike<number>, groups: ArrayLike<number>, scale: GroupVarianceScale): GroupContrasts | null {
  const batch = dx.length;
  const members = new Map<number, Map<number, number[]>>();
  for (let i = 0; i < batch; i += 1) {
    if (dx[i]! < 0 || groups[i]! < 0) continue;
    const byGroup = members.get(dx[i]!) ?? new Map<number, number[]>();
    byGroup.set(groups[i]!, [...(byGroup.get(groups[i]!) ?? []), i]);
    members.set(dx[i]!, byGroup);
  }
  const out: GroupContrasts = { contrasts: [], averages: [], weights: [], keys: [] };
  for (const [c, byGroup] of members) {
    if (byGroup.size < 2) continue;
    const everyone = [...byGroup.values()].flat();
    const chance = scale === 'chance' ? (byGroup.size - 1) / (everyone.length - 1) : 1;
    const average = new Array<number>(batch).fill(0);
    for (const i of everyone) average[i] = 1 / everyone.length;
    for (const [g, subjects] of byGroup) {
      const row = average.map((v) => -v);
      for (const i of subjects) row[i] = row[i]! + 1 / subjects.length;
      out.contrasts.push(row);
      out.averages.push(average);
      out.weights.push(subjects.length / everyone.length / chance);
      out.keys.push([c, g]);
    }
  }
  return out.contrasts.length ? out : null;
}

/**
 * Within each diagnosis, the between-group variance of each column of `values` [B, F], sum over
 * groups g of (n_g / n) (mean_g − mean)², scaled per `scale`, averaged over the columns and summed
 * over diagnoses. Null when no diagnosis has two groups in the batch.
 */
export function betweenGroupVariance(
  values: tf.Tensor2D,
  dx: ArrayLike<number>,
  groups: ArrayLike<number>,
  scale: GroupVarianceScale = 'absolute',
): tf.Scalar | null {
  const rows = groupContrasts(dx, groups, scale);
  if (!rows) return null;
  return tf.tidy(() => {
    const squaredGaps = tf.square(tf.matMul(tf.tensor2d(rows.contrasts), values));
    let shares: tf.Tensor = squaredGaps;
    if (scale !== 'absolute') {
      const average = tf.tensor2d(rows.averages);
      const variance = tf.sub(tf.matMul(average, tf.square(values)), tf.square(tf.matMul(average, values)));
      shares = tf.div(squaredGaps, tf.add(variance, 1e-6));
    }
    return tf.sum(tf.mul(tf.mean(shares, 1), tf.tensor1d(rows.weights))) as tf.Scalar;
  });
}

/**
 * The between-group variance of betweenGroupVariance with each batch gap projected on a direction
 * estimated elsewhere: sum over groups g of (n_g / n) (mean_g − mean) · direction(c, g), averaged
 * over the columns and summed over diagnoses c. With directions from many more subjects than a
 * batch holds (the training subjects' group offsets), its expectation is the groups' offsets
 * themselves, without the floor a batch's squared gaps have from sampling alone, and its gradient
 * moves each group's subjects against the offset their group keeps over the training subjects.
 * A group without a direction counts zero. Null when no diagnosis has two groups in the batch.
 */
export function projectedGroupVariance(
  values: tf.Tensor2D,
  dx: ArrayLike<number>,
  groups: ArrayLike<number>,
  direction: (dx: number, group: number) => Float32Array | undefined,
): tf.Scalar | null {
  const rows = groupContrasts(dx, groups, 'absolute');
  if (!rows) return null;
  const width = values.shape[1];
  const directions = rows.keys.map(([c, g]) => Array.from(direction(c, g) ?? new Float32Array(width)));
  return tf.tidy(() => {
    const gaps = tf.matMul(tf.tensor2d(rows.contrasts), values);
    const projected = tf.mean(tf.mul(gaps, tf.tensor2d(directions, [directions.length, width])), 1);
    return tf.sum(tf.mul(projected, tf.tensor1d(rows.weights))) as tf.Scalar;
  });
}

/**
 * Each group's offset from its diagnosis's mean over a set of subjects' features [n, F], per
 * sensitive attribute, with every feature first standardised over all n subjects (as the training
 * batches standardise theirs): the directions projectedGroupVariance pushes against. `codes[0]` is
 * the diagnosis, `codes[a]` attribute a's groups (-1 missing). Keyed `a:dx:group`. With
 * `discriminant`, each offset is turned into its ridge discriminant direction, (S + I)^-1 offset
 * for S the features' covariance within the diagnoses: the direction a linear probe separates the
 * group along, which small offsets spread over correlated features add up to.
 */
export function embeddingGroupDirections(
  features: Float32Array,
  width: number,
  codes: ArrayLike<number>[],
  discriminant = false,
): Map<string, Float32Array> {
  const n = features.length / width;
  const mean = new Float64Array(width);
  const square = new Float64Array(width);
  for (let i = 0; i < n; i += 1)
    for (let f = 0; f < width; f += 1) {
      const v = features[i * width + f]!;
      mean[f] = mean[f]! + v / n;
      square[f] = square[f]! + (v * v) / n;
    }
  const sd = Array.from(mean, (m, f) => Math.sqrt(Math.max(square[f]! - m * m, 0) + 1e-6));
  const z = Float64Array.from(features, (v, k) => (v - mean[k % width]!) / sd[k % width]!);
  const statistics = groupStatistics(z, width, codes);
  const whiten = discriminant ? withinDiagnosisCovariance(z, statistics, () => 1) : null;
  const offsets = new Map<string, Float32Array>();
  for (const [key, offset] of statistics.offsets)
    offsets.set(key, Float32Array.from(whiten ? solveSymmetric(whiten, offset, width) : offset));
  return offsets;
}

/**
 * The equalised-odds penalty of one sensitive attribute on a batch: the between-group variance of
 * the patient probability within each diagnosis (betweenGroupVariance). It is zero when every
 * group's subjects of a diagnosis score alike on average, which is what equal true- and
 * false-positive rates ask of the scores; on the probability scale it is bounded, so it cannot
 * outgrow the contrastive terms. `sim` is the diagnosis logits [B, C] with the patient at column 1.
 */
export function equalisedOddsPenalty(sim: tf.Tensor2D, dx: ArrayLike<number>, groups: ArrayLike<number>): tf.Scalar | null {
  const patient = tf.tensor2d(Array.from({ length: sim.shape[1] }, (_, c) => [c === 1 ? 1 : 0]));
  return betweenGroupVariance(tf.matMul(tf.softmax(sim, -1), patient), dx, groups);
}
