/** Group attention maps and what can be read from them: top ROIs, overlaps, recovery of a planted set. */

/** The mean of the given subjects' maps (rows of an [N, R] array); NaN rows are skipped. */
export function meanMap(maps: Float32Array, rois: number, rows: number[]): Float64Array {
  const sum = new Float64Array(rois);
  let count = 0;
  for (const row of rows) {
    if (Number.isNaN(maps[row * rois]!)) continue;
    for (let r = 0; r < rois; r += 1) sum[r]! += maps[row * rois + r]!;
    count += 1;
  }
  return sum.map((v) => (count ? v / count : Number.NaN));
}

/** Indices of the k largest values, largest first. */
export function topK(values: ArrayLike<number>, k: number): number[] {
  return Array.from(values, (v, i) => [v, i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, k)
    .map(([, i]) => i);
}

/** Precision@|truth|: the share of the map's top |truth| ROIs that are in the planted set. */
export function precisionAtK(values: ArrayLike<number>, truth: number[]): number {
  const set = new Set(truth);
  return topK(values, truth.length).filter((i) => set.has(i)).length / truth.length;
}

/** Bhattacharyya overlap of two non-negative maps, each normalised to sum 1. */
export function mapOverlap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const sa = Array.from(a).reduce((s, v) => s + v, 0);
  const sb = Array.from(b).reduce((s, v) => s + v, 0);
  let bc = 0;
  for (let i = 0; i < a.length; i += 1) bc += Math.sqrt((a[i]! / sa) * (b[i]! / sb));
  return bc;
}
