/** Rotates columns p and q (or rows, with columns false) of the n x n matrix m by the angle whose cosine is c and sine s. */
function rotate(m: Float64Array, n: number, p: number, q: number, c: number, s: number, columns: boolean): void {
  for (let k = 0; k < n; k += 1) {
    const ip = columns ? k * n + p : p * n + k;
    const iq = columns ? k * n + q : q * n + k;
    const mp = m[ip]!;
    const mq = m[iq]!;
    m[ip] = c * mp - s * mq;
    m[iq] = s * mp + c * mq;
  }
}

/**
 * Eigenvalues and eigenvectors of a symmetric n x n matrix (row-major), by cyclic Jacobi rotations
 * in double precision, sorted by eigenvalue, largest first. `vectors` holds eigenvector k in column
 * k (row-major n x n). Meant for the few hundred subjects of a Gram matrix: O(n^3) per sweep.
 */
export function symmetricEigen(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) v[i * n + i] = 1;
  const offDiagonal = (): number => {
    let sum = 0;
    for (let i = 0; i < n; i += 1) for (let j = i + 1; j < n; j += 1) sum += a[i * n + j]! ** 2;
    return sum;
  };
  let total = 0;
  for (let i = 0; i < n * n; i += 1) total += a[i]! ** 2;
  for (let sweep = 0; sweep < 100 && offDiagonal() > 1e-22 * total; sweep += 1) {
    for (let p = 0; p < n - 1; p += 1) {
      for (let q = p + 1; q < n; q += 1) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        rotate(a, n, p, q, c, s, true);
        rotate(a, n, p, q, c, s, false);
        rotate(v, n, p, q, c, s, true);
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j]! - a[i * n + i]!);
  const values = Float64Array.from(order, (i) => a[i * n + i]!);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    for (let k = 0; k < n; k += 1) vectors[k * n + to] = v[k * n + from]!;
  });
  return { values, vectors };
}
