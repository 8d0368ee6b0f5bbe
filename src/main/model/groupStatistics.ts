/**
 * Per-group means of subjects' features within each diagnosis, and the features' covariance within
 * the diagnoses: what the embedding penalty's training-set directions (losses.ts) and the group
 * eraser (groupEraser.ts) are built from.
 */
export interface GroupStatistics {
  width: number;
  /** Each sensitive group's mean minus its diagnosis's, keyed `attribute:dx:group`, in first-seen order. */
  offsets: Map<string, Float64Array>;
  /** Each diagnosis's mean, keyed by its code. */
  diagnosisMeans: Map<number, Float64Array>;
  /** Each subject's diagnosis code (-1 missing). */
  dx: ArrayLike<number>;
}

/**
 * The statistics of `features` [n, width] (a row per subject). `codes[0]` is the diagnosis,
 * `codes[a]` attribute a's groups (-1 missing). A group's offset is taken against the mean of its
 * diagnosis's subjects that have a group for that attribute; subjects without a diagnosis or group
 * give none.
 */
export function groupStatistics(features: ArrayLike<number>, width: number, codes: ArrayLike<number>[]): GroupStatistics {
  const n = features.length / width;
  const sums = new Map<string, { count: number; total: Float64Array }>();
  const add = (key: string, i: number): void => {
    const entry = sums.get(key) ?? { count: 0, total: new Float64Array(width) };
    entry.count += 1;
    for (let f = 0; f < width; f += 1) entry.total[f] = entry.total[f]! + features[i * width + f]!;
    sums.set(key, entry);
  };
  const dx = codes[0]!;
  for (let i = 0; i < n; i += 1) if (dx[i]! >= 0) add(`dx:${dx[i]}`, i);
  for (let a = 1; a < codes.length; a += 1)
    for (let i = 0; i < n; i += 1) {
      if (dx[i]! < 0 || codes[a]![i]! < 0) continue;
      add(`${a}:${dx[i]}:${codes[a]![i]}`, i);
      add(`${a}:${dx[i]}`, i);
    }
  const meanOf = (key: string): Float64Array => {
    const { count, total } = sums.get(key)!;
    return total.map((t) => t / count);
  };
  const offsets = new Map<string, Float64Array>();
  const diagnosisMeans = new Map<number, Float64Array>();
  for (const key of sums.keys()) {
    const parts = key.split(':');
    if (parts[0] === 'dx') diagnosisMeans.set(Number(parts[1]), meanOf(key));
    else if (parts.length === 3) {
      const all = meanOf(`${parts[0]}:${parts[1]}`);
      offsets.set(
        key,
        meanOf(key).map((v, f) => v - all[f]!),
      );
    }
  }
  return { width, offsets, diagnosisMeans, dx };
}

/** The features' covariance about each subject's diagnosis's mean, over the subjects with a diagnosis, plus `ridge(its trace)` on the diagonal. */
export function withinDiagnosisCovariance(
  features: ArrayLike<number>,
  { width, diagnosisMeans, dx }: GroupStatistics,
  ridge: (trace: number) => number,
): Float64Array {
  const matrix = new Float64Array(width * width);
  const centred = new Float64Array(width);
  let used = 0;
  for (let i = 0; i < dx.length; i += 1) {
    const mean = diagnosisMeans.get(dx[i]!);
    if (!mean) continue;
    used += 1;
    for (let f = 0; f < width; f += 1) centred[f] = features[i * width + f]! - mean[f]!;
    for (let f = 0; f < width; f += 1)
      for (let g = 0; g <= f; g += 1) matrix[f * width + g] = matrix[f * width + g]! + centred[f]! * centred[g]!;
  }
  const count = Math.max(used, 1);
  let trace = 0;
  for (let f = 0; f < width; f += 1) trace += matrix[f * width + f]! / count;
  const added = ridge(trace);
  for (let f = 0; f < width; f += 1)
    for (let g = 0; g <= f; g += 1) {
      const value = matrix[f * width + g]! / count + (f === g ? added : 0);
      matrix[f * width + g] = value;
      matrix[g * width + f] = value;
    }
  return matrix;
}
