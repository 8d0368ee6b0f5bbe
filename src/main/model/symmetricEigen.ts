/**
 * Eigenvalues and eigenvectors of a symmetric n x n matrix (row-major), in double precision:
 * Householder reduction to tridiagonal form, then the implicit QL algorithm with Wilkinson-style
 * shifts (Golub and Van Loan, ch. 8), about 9n^3 operations in all. Sorted by eigenvalue, largest
 * first; `vectors` holds eigenvector k in column k (row-major n x n).
 */
export function symmetricEigen(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  if (matrix.length !== n * n) throw new Error(`symmetricEigen: ${matrix.length} values for ${n} x ${n}`);
  const q = Float64Array.from(matrix);
  const diagonal = new Float64Array(n);
  const offDiagonal = new Float64Array(n);
  householderTridiagonal(q, n, diagonal, offDiagonal);
  // The QL sweeps rotate pairs of eigenvector columns: kept as rows of qt, so each rotation reads contiguous memory.
  const qt = transpose(q, n);
  implicitQl(diagonal, offDiagonal, qt, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => diagonal[j]! - diagonal[i]!);
  const values = Float64Array.from(order, (i) => diagonal[i]!);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    for (let k = 0; k < n; k += 1) vectors[k * n + to] = qt[from * n + k]!;
  });
  return { values, vectors };
}

function transpose(m: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) for (let j = 0; j < n; j += 1) out[j * n + i] = m[i * n + j]!;
  return out;
}

/**
 * Overwrites `a` with the orthogonal Q of A = Q T Q^T, T tridiagonal with `d` on its diagonal and
 * `e[i]` at (i - 1, i) (e[0] = 0). Householder reflections from the last row up, each scaled to
 * avoid underflow, then accumulated into Q.
 */
function householderTridiagonal(a: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j += 1) d[j] = a[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i -= 1) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k += 1) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j += 1) {
        d[j] = a[(i - 1) * n + j]!;
        a[i * n + j] = 0;
        a[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k += 1) {
        d[k]! /= scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = f > 0 ? -Math.sqrt(h) : Math.sqrt(h);
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j += 1) e[j] = 0;
      for (let j = 0; j < i; j += 1) {
        f = d[j]!;
        a[j * n + i] = f;
        g = e[j]! + a[j * n + j]! * f;
        for (let k = j + 1; k < i; k += 1) {
          g += a[k * n + j]! * d[k]!;
          e[k]! += a[k * n + j]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j += 1) {
        e[j]! /= h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j += 1) e[j]! -= hh * d[j]!;
      for (let j = 0; j < i; j += 1) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k < i; k += 1) a[k * n + j]! -= f * e[k]! + g * d[k]!;
        d[j] = a[(i - 1) * n + j]!;
        a[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i += 1) {
    a[(n - 1) * n + i] = a[i * n + i]!;
    a[i * n + i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k += 1) d[k] = a[k * n + i + 1]! / h;
      for (let j = 0; j <= i; j += 1) {
        let g = 0;
        for (let k = 0; k <= i; k += 1) g += a[k * n + i + 1]! * a[k * n + j]!;
        for (let k = 0; k <= i; k += 1) a[k * n + j]! -= g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k += 1) a[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j += 1) {
    d[j] = a[(n - 1) * n + j]!;
    a[(n - 1) * n + j] = 0;
  }
  a[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/**
 * Diagonalises the tridiagonal (d, e) in place by implicit QL steps, rotating the rows of `qt`
 * (the eigenvectors, one per row) alongside; `d` ends as the eigenvalues, unsorted.
 */
function implicitQl(d: Float64Array, e: Float64Array, qt: Float64Array, n: number): void {
  for (let i = 1; i < n; i += 1) e[i - 1] = e[i]!;
  if (n > 0) e[n - 1] = 0;
  let shift = 0;
  let norm = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l += 1) {
    norm = Math.max(norm, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > eps * norm) m += 1;
    if (m > l) {
      for (let iteration = 0; Math.abs(e[l]!) > eps * norm; iteration += 1) {
        if (iteration > 60) throw new Error('symmetricEigen: the QL iteration did not converge');
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i += 1) d[i]! -= h;
        shift += h;
        p = d[m]!;
        let c = 1;
        let c2 = 1;
        let c3 = 1;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i -= 1) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          const upper = (i + 1) * n;
          const lower = i * n;
          for (let k = 0; k < n; k += 1) {
            const next = qt[upper + k]!;
            const here = qt[lower + k]!;
            qt[upper + k] = s * here + c * next;
            qt[lower + k] = c * here - s * next;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      }
    }
    d[l]! += shift;
    e[l] = 0;
  }
}
