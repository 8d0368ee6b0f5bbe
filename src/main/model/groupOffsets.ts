import * as tf from './tf';
import { SeededRandom } from '../synth/random';
import { fitL2Logistic } from './l2Logistic';

/** Inner folds of the cross-fitting that gives every training subject a score from a fit without it. */
export const CROSS_FIT_FOLDS = 5;

/** A group's mean score within a diagnosis counts only with at least this many of its subjects there. */
export const MIN_GROUP_DIAGNOSIS = 5;

/** Groups with an offset needed before an attribute's offsets are shrunk (shrinkTowardsZero). */
const SHRINK_MIN_GROUPS = 3;

/** Passes over the attributes when there are several (backfitting; one attribute needs one). */
const BACKFIT_PASSES = 20;

/**
 * The 'rates' criterion's smoothing: a subject counts as called a patient with probability
 * sigmoid(score / (RATE_SMOOTHING x the scores' pooled SD within diagnosis and group)) rather than 0
 * or 1, so that a group of about 20 subjects' rates move smoothly with its offset instead of in steps
 * of 0.05. A logistic kernel of scale 0.15 SD (about a Gaussian one of 0.27 SD) spans the one or two
 * subjects nearest the threshold; a wider one pulls every rate towards 0.5 and so biases the balance
 * (0.3 SD left a gap of 0.05 between the two rates in the unit test's cohort).
 */
const RATE_SMOOTHING = 0.15;

/** What each group's offset equalises with all subjects' (config.offsetCriterion). */
export type OffsetCriterion = 'means' | 'rates';

/** The 'rates' offsets are searched within +-RATE_OFFSET_LIMIT logits, by bisection to well below 1e-6. */
const RATE_OFFSET_LIMIT = 10;
const BISECTION_STEPS = 50;

export interface GroupOffsetOptions {
  /** Shrink the offsets of attributes with at least SHRINK_MIN_GROUPS groups (config.offsetShrinkage). */
  shrink: boolean;
  criterion: OffsetCriterion;
}

/**
 * Per-group offsets of a diagnosis score, one array per attribute (indexed by group code), counting
 * for each group only the diagnoses in which it has at least MIN_GROUP_DIAGNOSIS subjects (0 when
 * none). With the 'means' criterion, within each diagnosis every group's mean offset score moves to
 * the mean of all subjects: group g's offset is the mean over diagnoses of (all subjects' mean - g's
 * mean). With 'rates', the offset makes the group's true- and false-positive rates at the threshold 0
 * (smoothed, RATE_SMOOTHING) sum to all subjects' (rateOffset): the shift of one group's threshold
 * that minimises the larger of its two equalised-odds gaps. Several attributes are fitted in turn,
 * each on the scores offset by the others, until they settle. A code of -1 (missing) gets no offset
 * but counts among all subjects.
 */
export function groupOffsets(
  scores: ArrayLike<number>,
  dx: ArrayLike<number>,
  codes: Int32Array[],
  groups: number[],
  options: GroupOffsetOptions = { shrink: false, criterion: 'means' },
): Float32Array[] {
  const n = scores.length;
  const offsets = groups.map((size) => new Float32Array(size));
  const adjusted = Float64Array.from(scores);
  const passes = codes.length > 1 ? BACKFIT_PASSES : 1;
  for (let pass = 0; pass < passes; pass += 1) {
    codes.forEach((code, a) => {
      const own = offsets[a]!;
      for (let i = 0; i < n; i += 1) if (code[i]! >= 0) adjusted[i]! -= own[code[i]!]!;
      const sums = [new Float64Array(own.length), new Float64Array(own.length)];
      const squares = [new Float64Array(own.length), new Float64Array(own.length)];
      const counts = [new Float64Array(own.length), new Float64Array(own.length)];
      const totals = [0, 0];
      const sizes = [0, 0];
      for (let i = 0; i < n; i += 1) {
        const d = dx[i]!;
        totals[d]! += adjusted[i]!;
        sizes[d]! += 1;
        if (code[i]! < 0) continue;
        sums[d]![code[i]!]! += adjusted[i]!;
        squares[d]![code[i]!]! += adjusted[i]! ** 2;
        counts[d]![code[i]!]! += 1;
      }
      // Each diagnosis's score variance within the groups, pooled: the noise of a group's mean score.
      const within = [0, 1].map((d) => {
        let residual = 0;
        let freedom = 0;
        for (let g = 0; g < own.length; g += 1) {
          if (counts[d]![g]! === 0) continue;
          residual += squares[d]![g]! - sums[d]![g]! ** 2 / counts[d]![g]!;
          freedom += counts[d]![g]! - 1;
        }
        return freedom > 0 ? residual / freedom : 0;
      });
      const noise = new Float64Array(own.length);
      const rates = options.criterion === 'rates' ? smoothedRates(adjusted, dx, Math.sqrt((within[0]! + within[1]!) / 2)) : null;
      for (let g = 0; g < own.length; g += 1) {
        const counted = [0, 1].filter((d) => counts[d]![g]! >= MIN_GROUP_DIAGNOSIS);
        if (counted.length === 0) own[g] = 0;
        else if (rates) own[g] = rateOffset(rates, (i) => code[i] === g && counted.includes(dx[i]!));
        else own[g] = counted.reduce((s, d) => s + (totals[d]! / sizes[d]! - sums[d]![g]! / counts[d]![g]!), 0) / counted.length;
        noise[g] = counted.reduce((s, d) => s + within[d]! / counts[d]![g]!, 0) / Math.max(1, counted.length) ** 2;
      }
      if (options.shrink) shrinkTowardsZero(own, noise);
      for (let i = 0; i < n; i += 1) if (code[i]! >= 0) adjusted[i]! += own[code[i]!]!;
    });
  }
  return offsets;
}

/** The adjusted scores, each diagnosis's smoothed rate of patient calls at 0 over all subjects, and the kernel's scale. */
interface SmoothedRates {
  scores: Float64Array;
  dx: ArrayLike<number>;
  reference: [number, number];
  scale: number;
}

function smoothedRates(scores: Float64Array, dx: ArrayLike<number>, withinSd: number): SmoothedRates {
  const scale = RATE_SMOOTHING * (withinSd > 0 ? withinSd : 1);
  const sums = [0, 0];
  const sizes = [0, 0];
  scores.forEach((score, i) => {
    sums[dx[i]!]! += sigmoid(score / scale);
    sizes[dx[i]!]! += 1;
  });
  return { scores, dx, reference: [sums[0]! / Math.max(1, sizes[0]!), sums[1]! / Math.max(1, sizes[1]!)], scale };
}

/**
 * The offset b of one group (its subjects where `member` holds) at which its smoothed false- and
 * true-positive rates, less all subjects', sum to 0 (over the diagnoses it counts). Both gaps rise
 * with b, so the larger of their sizes falls until they have opposite signs and are equal: this b
 * minimises the group's equalised-odds gap (max of the two) for a shift of its threshold alone.
 */
function rateOffset(rates: SmoothedRates, member: (i: number) => boolean): number {
  const rows = Array.from(rates.scores.keys()).filter(member);
  const perDiagnosis = ([0, 1] as const)
    .map((d) => ({ reference: rates.reference[d], members: rows.filter((i) => rates.dx[i] === d) }))
    .filter(({ members }) => members.length > 0);
  const rate = (members: number[], b: number) =>
    members.reduce((t, i) => t + sigmoid((rates.scores[i]! + b) / rates.scale), 0) / members.length;
  const gapSum = (b: number) => perDiagnosis.reduce((s, { reference, members }) => s + rate(members, b) - reference, 0);
  let low = -RATE_OFFSET_LIMIT;
  let high = RATE_OFFSET_LIMIT;
  for (let step = 0; step < BISECTION_STEPS; step += 1) {
    const middle = (low + high) / 2;
    if (gapSum(middle) < 0) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * James-Stein shrinkage of one attribute's offsets (config.offsetShrinkage), in place: with at least
 * SHRINK_MIN_GROUPS groups that have an offset, each moves towards 0 by the share noise / (spread +
 * noise), its own sampling variance `noise[g]` against the offsets' spread beyond noise (the mean
 * squared offset less the mean noise, at least 0), so that an offset estimated from few subjects,
 * or one no larger than noise makes, is trusted less. Fewer groups are left as they are, where the
 * spread cannot be estimated (James and Stein's estimator dominates from three).
 */
function shrinkTowardsZero(offsets: Float32Array, noise: Float64Array): void {
  const estimated = Array.from(offsets.keys()).filter((g) => noise[g]! > 0);
  if (estimated.length < SHRINK_MIN_GROUPS) return;
  const spread = Math.max(0, estimated.reduce((s, g) => s + offsets[g]! ** 2 - noise[g]!, 0) / estimated.length);
  for (const g of estimated) offsets[g] = (offsets[g]! * spread) / (spread + noise[g]!);
}

/**
 * Cross-fitted scores of L2 logistic regression (C as fitL2Logistic's): the subjects [n, p] are dealt
 * into CROSS_FIT_FOLDS folds, stratified by diagnosis in a seeded order, and each fold is scored by
 * a fit on the others, so that no score comes from a fit that saw its subject.
 *
 * `centring` gives each subject the index of the statistics that centred its features (its site's
 * under a site z-score; -1 for none). Those statistics were fitted on every subject here, so a held-out
 * subject sits in its own group's mean, and in p >> n a fit then scores it against its group's
 * patient share (a patient-rich site's held-out subjects read as controls). Outer test subjects are
 * never in their site's mean, so before each fit both parts are centred again on the group means of
 * the subjects fitted only, as the test subjects are (docs/model.md, twenty-first round).
 */
export function crossFittedScores(x: tf.Tensor2D, y: number[], c: number, seed: number, centring: Int32Array): Float32Array {
  const n = y.length;
  const fold = new Int32Array(n);
  const order = new SeededRandom(seed * 7 + 5).permutation(n);
  const dealt = [0, 0];
  for (const i of order) fold[i] = dealt[y[i]!]!++ % CROSS_FIT_FOLDS;
  const scores = new Float32Array(n);
  for (let k = 0; k < CROSS_FIT_FOLDS; k += 1) {
    const fit = order.filter((i) => fold[i] !== k);
    const held = order.filter((i) => fold[i] === k);
    const [fitX, heldX] = centredOnFitted(x, centring, fit, held);
    const fitXT = tf.transpose(fitX);
    try {
      // C scales with the number of subjects fitted, so that the penalty per subject stays the full fit's.
      const { w, b } = fitL2Logistic(
        fitX,
        fitXT,
        fit.map((i) => y[i]!),
        (c * n) / fit.length,
      );
      const heldScores = tf.tidy(() => tf.add(tf.matMul(heldX, tf.tensor2d(w, [w.length, 1])), b).dataSync());
      held.forEach((i, h) => (scores[i] = heldScores[h]!));
    } finally {
      tf.dispose([fitX, heldX, fitXT]);
    }
  }
  return scores;
}

/**
 * The rows `fit` and `held` of x, each minus the mean of its centring group over the `fit` rows
 * (rows of group -1, or of a group with no fitted row, as they are).
 */
function centredOnFitted(x: tf.Tensor2D, centring: Int32Array, fit: number[], held: number[]): [tf.Tensor2D, tf.Tensor2D] {
  const groups = Math.max(-1, ...centring) + 1;
  const counts = new Float64Array(groups);
  for (const i of fit) if (centring[i]! >= 0) counts[centring[i]!]! += 1;
  return tf.tidy(() => {
    const fitX = tf.gather(x, fit);
    const heldX = tf.gather(x, held);
    if (groups === 0) return [fitX, heldX];
    // The group means as one plain 2-D product (the fast path on wasm): [groups, fitted] weights 1 / count.
    const weights = new Float32Array(groups * fit.length);
    fit.forEach((i, r) => {
      const g = centring[i]!;
      if (g >= 0) weights[g * fit.length + r] = 1 / counts[g]!;
    });
    const means = tf.concat([tf.matMul(tf.tensor2d(weights, [groups, fit.length]), fitX), tf.zeros([1, x.shape[1]])]);
    const rowsOf = (rows: number[]): Int32Array =>
      Int32Array.from(rows, (i) => (centring[i]! >= 0 && counts[centring[i]!]! > 0 ? centring[i]! : groups));
    return [tf.sub(fitX, tf.gather(means, rowsOf(fit))), tf.sub(heldX, tf.gather(means, rowsOf(held)))];
  });
}
