import { stratifiedKFold } from '../eval/folds';
import { auc } from '../eval/metrics';
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

/**
 * L2 logistic regression, sum of log-loss * C + ||w||^2 / 2 (scikit-learn's objective), minimised by
 * L-BFGS. The two products per evaluation are plain 2-D matMuls on TensorFlow.js: X w, and
 * X^T r with X^T laid out explicitly (transposed products are slow on wasm).
 */
function fitL2Logistic(x: tf.Tensor2D, xT: tf.Tensor2D, y: number[], c: number, maxIterations = 200): { w: Float32Array; b: number } {
  const n = y.length;
  const p = x.shape[1];
  const labels = tf.tensor2d(y, [n, 1]);
  // f(w, b) and its gradient; the objective is divided by C * n for conditioning (same minimiser).
  const evaluate = (w: Float32Array, b: number): { value: number; grad: Float32Array; gradB: number } =>
    tf.tidy(() => {
      const logits = tf.add(tf.matMul(x, tf.tensor2d(w, [p, 1])), b);
      const loss = tf.mean(tf.sub(tf.softplus(logits), tf.mul(labels, logits))).dataSync()[0]!;
      const residual = tf.div(tf.sub(tf.sigmoid(logits), labels), n);
      const gradData = tf.matMul(xT, residual).dataSync() as Float32Array;
      const gradB = tf.sum(residual).dataSync()[0]!;
      let norm = 0;
      const grad = new Float32Array(p);
      for (let k = 0; k < p; k += 1) {
        norm += w[k]! * w[k]!;
        grad[k] = gradData[k]! + w[k]! / (c * n);
      }
      return { value: loss + norm / (2 * c * n), grad, gradB };
    });
  let w = new Float32Array(p);
  let b = 0;
  let current = evaluate(w, b);
  const history: { s: Float32Array; sb: number; y: Float32Array; yb: number; rho: number }[] = [];
  for (let iteration = 0; iteration < maxIterations; iteration += 1) {
    // Two-loop recursion for the search direction.
    const q = Float32Array.from(current.grad);
    let qb = current.gradB;
    const alphas: number[] = [];
    for (let h = history.length - 1; h >= 0; h -= 1) {
      const { s, sb, rho } = history[h]!;
      let dot = sb * qb;
      for (let k = 0; k < p; k += 1) dot += s[k]! * q[k]!;
      const alpha = rho * dot;
      alphas[h] = alpha;
      for (let k = 0; k < p; k += 1) q[k]! -= alpha * history[h]!.y[k]!;
      qb -= alpha * history[h]!.yb;
    }
    let gamma = 1;
    if (history.length > 0) {
      const last = history[history.length - 1]!;
      let yy = last.yb * last.yb;
      for (let k = 0; k < p; k += 1) yy += last.y[k]! * last.y[k]!;
      gamma = 1 / (last.rho * yy);
    }
    for (let k = 0; k < p; k += 1) q[k]! *= gamma;
    qb *= gamma;
    for (let h = 0; h < history.length; h += 1) {
      const { y: yv, yb, rho } = history[h]!;
      let dot = yb * qb;
      for (let k = 0; k < p; k += 1) dot += yv[k]! * q[k]!;
      const beta = rho * dot;
      for (let k = 0; k < p; k += 1) q[k]! += history[h]!.s[k]! * (alphas[h]! - beta);
      qb += history[h]!.sb * (alphas[h]! - beta);
    }
    // Backtracking line search along -q (Armijo).
    let slope = -qb * current.gradB;
    for (let k = 0; k < p; k += 1) slope -= q[k]! * current.grad[k]!;
    if (slope >= 0) {
      history.length = 0;
      continue;
    }
    let step = 1;
    let next = current;
    let wNext = w;
    let bNext = b;
    for (let tries = 0; tries < 30; tries += 1) {
      wNext = Float32Array.from(w, (v, k) => v - step * q[k]!);
      bNext = b - step * qb;
      next = evaluate(wNext, bNext);
      if (next.value <= current.value + 1e-4 * step * slope) break;
      step /= 2;
    }
    const s = Float32Array.from(wNext, (v, k) => v - w[k]!);
    const yv = Float32Array.from(next.grad, (v, k) => v - current.grad[k]!);
    const sb = bNext - b;
    const yb = next.gradB - current.gradB;
    let sy = sb * yb;
    for (let k = 0; k < p; k += 1) sy += s[k]! * yv[k]!;
    const improvement = current.value - next.value;
    w = wNext;
    b = bNext;
    current = next;
    if (sy > 1e-12) {
      history.push({ s, sb, y: yv, yb, rho: 1 / sy });
      if (history.length > 10) history.shift();
    }
    if (improvement < 1e-9 * Math.max(1, Math.abs(current.value))) break;
  }
  labels.dispose();
  return { w, b };
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
}

/**
 * The classic baseline: L2 logistic regression on the standardised upper triangle of each
 * subject's connectivity, C chosen from C_GRID by a stratified 5-fold inner CV on AUC (folds as
 * scikit-learn's StratifiedKFold(5, shuffle=True, random_state=seed) on the diagnosis).
 */
export function logregFc(fc: Float32Array, rois: number, dx: Int32Array, train: number[], test: number[], seed: number): LogregResult {
  const width = (rois * (rois - 1)) / 2;
  const xTrain = upperTriangle(fc, train, rois);
  const yTrain = train.map((s) => dx[s]!);
  const inner = stratifiedKFold(yTrain.map(String), 5, seed);
  const scores = C_GRID.map((c) => {
    const aucs = inner.map((fold) => {
      const pick = (rows: number[]) => {
        const out = new Float32Array(rows.length * width);
        rows.forEach((r, k) => out.set(xTrain.subarray(r * width, (r + 1) * width), k * width));
        return out;
      };
      const fitted = fitStandardised(
        pick(fold.train),
        fold.train.length,
        width,
        fold.train.map((r) => yTrain[r]!),
        c,
      );
      const xv = standardise(pick(fold.test), fold.test.length, width, fitted.standardiser);
      return auc(
        fold.test.map((r) => yTrain[r]!),
        predict(xv, fold.test.length, width, fitted.model),
      );
    });
    return aucs.reduce((a, b) => a + b, 0) / aucs.length;
  });
  const best = scores.indexOf(Math.max(...scores));
  const fitted = fitStandardised(xTrain, train.length, width, yTrain, C_GRID[best]!);
  const xTest = standardise(upperTriangle(fc, test, rois), test.length, width, fitted.standardiser);
  return { probabilities: predict(xTest, test.length, width, fitted.model), c: C_GRID[best]!, innerAuc: scores[best]! };
}
