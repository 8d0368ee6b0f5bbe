import { solveSymmetric } from '../model/solveSymmetric';

/**
 * L2-penalised logistic regression on standardised features, fitted by Newton's method (for a
 * few hundred features at most: the leakage probe). Like scikit-learn's LogisticRegression(C):
 * minimises C * sum(log-loss) + ||w||^2 / 2, intercept not penalised.
 */
export interface LogisticModel {
  predict(x: Float32Array | Float64Array, rows: number): Float64Array;
}

export function fitLogistic(x: Float32Array | Float64Array, labels: number[], features: number, c = 1, iterations = 25): LogisticModel {
  const n = labels.length;
  const mean = new Float64Array(features);
  const scale = new Float64Array(features);
  for (let f = 0; f < features; f += 1) {
    let s = 0;
    for (let i = 0; i < n; i += 1) s += x[i * features + f]!;
    mean[f] = s / n;
    let v = 0;
    for (let i = 0; i < n; i += 1) v += (x[i * features + f]! - mean[f]!) ** 2;
    scale[f] = Math.sqrt(v / n) || 1;
  }
  const p = features + 1;
  const z = new Float64Array(n * p);
  for (let i = 0; i < n; i += 1) {
    for (let f = 0; f < features; f += 1) z[i * p + f] = (x[i * features + f]! - mean[f]!) / scale[f]!;
    z[i * p + features] = 1;
  }
  const w = new Float64Array(p);
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    const gradient = new Float64Array(p);
    const hessian = new Float64Array(p * p);
    for (let i = 0; i < n; i += 1) {
      let eta = 0;
      for (let k = 0; k < p; k += 1) eta += z[i * p + k]! * w[k]!;
      const prob = 1 / (1 + Math.exp(-eta));
      const residual = prob - labels[i]!;
      const weight = Math.max(prob * (1 - prob), 1e-10);
      for (let a = 0; a < p; a += 1) {
        const za = z[i * p + a]!;
        gradient[a]! += c * residual * za;
        for (let b = 0; b <= a; b += 1) hessian[a * p + b]! += c * weight * za * z[i * p + b]!;
      }
    }
    for (let a = 0; a < p; a += 1) {
      for (let b = 0; b < a; b += 1) hessian[b * p + a] = hessian[a * p + b]!;
      if (a < features) {
        gradient[a]! += w[a]!;
        hessian[a * p + a]! += 1;
      }
    }
    const step = solveSymmetric(hessian, gradient, p);
    let change = 0;
    for (let k = 0; k < p; k += 1) {
      w[k]! -= step[k]!;
      change = Math.max(change, Math.abs(step[k]!));
    }
    if (change < 1e-8) break;
  }
  return {
    predict(rowsX, rows) {
      const out = new Float64Array(rows);
      for (let i = 0; i < rows; i += 1) {
        let eta = w[features]!;
        for (let f = 0; f < features; f += 1) eta += ((rowsX[i * features + f]! - mean[f]!) / scale[f]!) * w[f]!;
        out[i] = 1 / (1 + Math.exp(-eta));
      }
      return out;
    },
  };
}
