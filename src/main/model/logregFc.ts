import { stratifiedKFold } from '../eval/folds';
import { auc } from '../eval/metrics';
import { fitL2Logistic } from './l2Logistic';
import { logOdds } from './logOdds';
import * as tf from './tf';

/** The C grid of the spec's baseline: logspace(-5, 2, 8), as the reference's GridSearchCV. */
export const C_GRID = Array.from({ length: 8 }, (_, i) => 10 ** (i - 5));

/** The upper triangle (i < j) of each subject's R x R matrix: [N, R(R-1)/2]. */
export function upperTriangle(fc: Float32Array, subjects: number[], rois: number): Float32Array {
  const width = (rois * (rois - 1)) / 2;
  const out = new Float32Array(subjects.length * width);
  subjects.forEach((s, k) => {
    let o = k * width;
    const base = s * rois * rois;
    for (let i = 0; i < rois; i += 1) for (let j = i + 1; j < rois; j += 1) out[o++] = fc[base + i * rois + j]!;
  });
  return out;
}

interface Standardiser {
  mean: Float32Array;
  scale: Float32Array;
}

function fitStandardiser(x: Float32Array, rows: number, width: number): Standardiser {
  const mean = new Float32Array(width);
  const scale = new Float32Array(width);
  for (let i = 0; i < rows; i += 1) for (let f = 0; f < width; f += 1) mean[f]! += x[i * width + f]! / rows;
  for (let i = 0; i < rows; i += 1) {
    for (let f = 0; f < width; f += 1) {
      const centred = x[i * width + f]! - mean[f]!;
      scale[f]! += (centred * centred) / rows;
    }
  }
  for (let f = 0; f < width; f += 1) scale[f] = Math.sqrt(scale[f]!) || 1;
  return { mean, scale };
}

export function standardise(x: Float32Array, rows: number, width: number, s: Standardiser): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < rows; i += 1) for (let f = 0; f < width; f += 1) out[i * width + f] = (x[i * width + f]! - s.mean[f]!) / s.scale[f]!;
  return out;
}

export function predict(x: Float32Array, rows: number, width: number, model: { w: Float32Array; b: number }): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows; i += 1) {
    let eta = model.b;
    for (let f = 0; f < width; f += 1) eta += x[i * width + f]! * model.w[f]!;
    out.push(1 / (1 + Math.exp(-eta)));
  }
  return out;
}

/** Standardises the features (as scikit-learn's StandardScaler) and fits the L2 logistic regression. */
export function fitStandardised(
  features: Float32Array,
  rows: number,
  width: number,
  labels: number[],
  c: number,
): { standardiser: Standardiser; model: { w: Float32Array; b: number } } {
  const standardiser = fitStandardiser(features, rows, width);
  const x = standardise(features, rows, width, standardiser);
  const model = tf.tidy(() => {
    const xt = tf.tensor2d(x, [rows, width]);
    return fitL2Logistic(xt, tf.transpose(xt) as tf.Tensor2D, labels, c);
  });
  return { standardiser, model };
}

export interface LogregResult {
  probabilities: number[];
  c: number;
  innerAuc: number;
  /**
   * Each training subject's log-odds from an inner fold's fit that held it out, at the chosen C scaled
   * by the training subjects over the fold's (in `train`'s order; empty unless asked for): what
   * motion adjustment reads.
   */
  crossFitted: Float64Array;
}

/**
 * The classic baseline: L2 logistic regression on the standardised upper triangle of each
 * subject's connectivity, C chosen from C_GRID by a stratified 5-fold inner CV on AUC (folds as
 * scikit-learn's StratifiedKFold(5, shuffle=True, random_state=seed) on the diagnosis). With
 * `crossFit`, the training subjects' cross-fitted log-odds too (five more fits).
 */
export function logregFc(
  fc: Float32Array,
  rois: number,
  dx: Int32Array,
  train: number[],
  test: number[],
  seed: number,
  crossFit = false,
): LogregResult {
  const width = (rois * (rois - 1)) / 2;
  const xTrain = upperTriangle(fc, train, rois);
  const yTrain = train.map((s) => dx[s]!);
  const inner = stratifiedKFold(yTrain.map(String), 5, seed);
  const pick = (rows: number[]): Float32Array => {
    const out = new Float32Array(rows.length * width);
    rows.forEach((r, k) => out.set(xTrain.subarray(r * width, (r + 1) * width), k * width));
    return out;
  };
  /** Each inner fold's held-out patient probabilities from a fit with `c` on the rest. */
  const heldOut = (fold: { train: number[]; test: number[] }, c: number): number[] => {
    const fitted = fitStandardised(
      pick(fold.train),
      fold.train.length,
      width,
      fold.train.map((r) => yTrain[r]!),
      c,
    );
    return predict(standardise(pick(fold.test), fold.test.length, width, fitted.standardiser), fold.test.length, width, fitted.model);
  };
  const scores = C_GRID.map((c) => {
    const aucs = inner.map((fold) =>
      auc(
        fold.test.map((r) => yTrain[r]!),
        heldOut(fold, c),
      ),
    );
    return aucs.reduce((a, b) => a + b, 0) / aucs.length;
  });
  const best = scores.indexOf(Math.max(...scores));
  const fitted = fitStandardised(xTrain, train.length, width, yTrain, C_GRID[best]!);
  const xTest = standardise(upperTriangle(fc, test, rois), test.length, width, fitted.standardiser);
  return {
    probabilities: predict(xTest, test.length, width, fitted.model),
    c: C_GRID[best]!,
    innerAuc: scores[best]!,
    crossFitted: crossFit
      ? crossFittedLogOdds(inner, train.length, (fold) => heldOut(fold, (C_GRID[best]! * train.length) / fold.train.length))
      : new Float64Array(0),
  };
}

/** The log-odds of every subject from the inner fold that held it out, `probabilities` giving each fold's. */
function crossFittedLogOdds(
  inner: { train: number[]; test: number[] }[],
  n: number,
  probabilities: (fold: { train: number[]; test: number[] }) => number[],
): Float64Array {
  const out = new Float64Array(n);
  for (const fold of inner) {
    const p = probabilities(fold);
    fold.test.forEach((r, k) => (out[r] = logOdds(p[k]!)));
  }
  return out;
}
