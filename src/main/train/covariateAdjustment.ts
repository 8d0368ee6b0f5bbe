/**
 * Removes categorical covariates' effects (sex, age group, site) from every feature while keeping
 * the diagnosis effect, as confound regression in neuroimaging does: per feature, least squares on
 * the training subjects of  y = b0 + b_dx dx + sum_c b_c x_c  (x_c: a level's indicator, one level
 * per covariate left out as reference), then y - sum_c b_c (x_c - mean_c) for every subject. Only
 * the training subjects' labels are used; a subject whose value is missing or a level no training
 * subject has is moved by nothing (x_c set to its mean). Within each diagnosis, the covariate groups'
 * mean features become equal on the training subjects: what equalised odds asks of a linear score.
 */
export function adjustForCovariates(
  values: Float32Array,
  width: number,
  dx: ArrayLike<number>,
  covariates: (string | null)[][],
  fit: number[],
): Float32Array {
  const n = values.length / width;
  const columns = covariates.flatMap((column) => indicatorColumns(column, fit));
  if (columns.length === 0) return values;
  const means = columns.map((x) => {
    const known = fit.filter((i) => !Number.isNaN(x[i]!));
    return known.reduce((sum, i) => sum + x[i]!, 0) / known.length;
  });
  const design = (i: number): number[] => [1, dx[i]!, ...columns.map((x, c) => (Number.isNaN(x[i]!) ? means[c]! : x[i]!))];
  const p = columns.length + 2;
  const gram = Array.from({ length: p }, () => new Float64Array(p));
  const cross = Array.from({ length: p }, () => new Float64Array(width));
  for (const i of fit) {
    const x = design(i);
    const row = values.subarray(i * width, (i + 1) * width);
    for (let a = 0; a < p; a += 1) {
      for (let b = 0; b < p; b += 1) gram[a]![b]! += x[a]! * x[b]!;
      const xa = x[a]!;
      if (xa === 0) continue;
      const target = cross[a]!;
      for (let k = 0; k < width; k += 1) target[k]! += xa * row[k]!;
    }
  }
  for (let a = 0; a < p; a += 1) gram[a]![a]! += 1e-6 * fit.length;
  const inverse = invert(gram);
  // Only the covariates' coefficients (design columns 2..p-1) are needed.
  const effects = columns.map((_, c) => {
    const out = new Float64Array(width);
    for (let b = 0; b < p; b += 1) {
      const weight = inverse[c + 2]![b]!;
      const source = cross[b]!;
      for (let k = 0; k < width; k += 1) out[k]! += weight * source[k]!;
    }
    return out;
  });
  const adjusted = new Float32Array(values.length);
  for (let i = 0; i < n; i += 1) {
    const x = design(i);
    const offset = i * width;
    adjusted.set(values.subarray(offset, offset + width), offset);
    effects.forEach((effect, c) => {
      const shift = x[c + 2]! - means[c]!;
      if (shift === 0) return;
      for (let k = 0; k < width; k += 1) adjusted[offset + k]! -= shift * effect[k]!;
    });
  }
  return adjusted;
}

/**
 * One indicator column per level of a categorical column seen among the training subjects, but
 * the most frequent (the reference): 1 or 0, NaN where the value is missing or unseen.
 */
function indicatorColumns(column: (string | null)[], fit: number[]): Float64Array[] {
  const counts = new Map<string, number>();
  for (const i of fit) {
    const value = column[i];
    if (value !== null && value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const levels = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([level]) => level);
  return levels
    .slice(1)
    .map((level) =>
      Float64Array.from(column, (value) =>
        value === null || value === undefined || !counts.has(value) ? Number.NaN : value === level ? 1 : 0,
      ),
    );
}

/** The inverse of a small symmetric positive-definite matrix, by Gauss-Jordan elimination with partial pivoting. */
function invert(matrix: Float64Array[]): Float64Array[] {
  const p = matrix.length;
  const a = matrix.map((row) => Float64Array.from(row));
  const inverse = Array.from({ length: p }, (_, i) => Float64Array.from({ length: p }, (_, j) => (i === j ? 1 : 0)));
  for (let col = 0; col < p; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < p; r += 1) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    [inverse[col], inverse[pivot]] = [inverse[pivot]!, inverse[col]!];
    const scale = 1 / a[col]![col]!;
    for (let j = 0; j < p; j += 1) {
      a[col]![j]! *= scale;
      inverse[col]![j]! *= scale;
    }
    for (let r = 0; r < p; r += 1) {
      if (r === col) continue;
      const factor = a[r]![col]!;
      if (factor === 0) continue;
      for (let j = 0; j < p; j += 1) {
        a[r]![j]! -= factor * a[col]![j]!;
        inverse[r]![j]! -= factor * inverse[col]![j]!;
      }
    }
  }
  return inverse;
}
