import * as tf from './tf';

/**
 * L2 logistic regression, sum of log-loss * C + ||w||^2 / 2 (scikit-learn's objective), minimised by
 * L-BFGS. The two products per evaluation are plain 2-D matMuls on TensorFlow.js: X w, and
 * X^T r with X^T laid out explicitly (transposed products are slow on wasm).
 */
export function fitL2Logistic(
  x: tf.Tensor2D,
  xT: tf.Tensor2D,
  y: number[],
  c: number,
  maxIterations = 200,
): { w: Float32Array; b: number } {
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
