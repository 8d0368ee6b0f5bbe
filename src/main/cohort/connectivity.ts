/** Functional connectivity of one subject: Fisher-z Pearson correlations, with the ROIs that had no signal. */
export interface Connectivity {
  rois: number;
  /** R x R, row-major: atanh(clip(r, -0.999, 0.999)), diagonal 0, masked ROIs' rows and columns 0. */
  matrix: Float32Array;
  /** 1 where the ROI's time series was constant (or empty), so its correlations are undefined. */
  missing: Uint8Array;
}

const CLIP = 0.999;

/**
 * Pearson correlation between the columns of a T x R time-series matrix, then Fisher z, as in
 * docs/model spec "Data for one subject". Constant ROIs are masked, never divided by zero.
 */
export function fisherZConnectivity(values: Float64Array, timePoints: number, rois: number): Connectivity {
  // Standardise each ROI into a contiguous row of `z` (R x T), so each correlation is one dot product.
  const z = new Float64Array(rois * timePoints);
  const missing = new Uint8Array(rois);
  for (let r = 0; r < rois; r += 1) {
    let mean = 0;
    for (let t = 0; t < timePoints; t += 1) mean += values[t * rois + r]!;
    mean /= timePoints;
    let sumSquares = 0;
    const base = r * timePoints;
    for (let t = 0; t < timePoints; t += 1) {
      const centred = values[t * rois + r]! - mean;
      z[base + t] = centred;
      sumSquares += centred * centred;
    }
    const scale = Math.sqrt(sumSquares);
    if (!(scale > 1e-12 * Math.max(1, Math.abs(mean)) * Math.sqrt(timePoints))) {
      missing[r] = 1;
      continue;
    }
    for (let t = 0; t < timePoints; t += 1) z[base + t]! /= scale;
  }
  const matrix = new Float32Array(rois * rois);
  for (let i = 0; i < rois; i += 1) {
    if (missing[i]) continue;
    const a = i * timePoints;
    for (let j = i + 1; j < rois; j += 1) {
      if (missing[j]) continue;
      const b = j * timePoints;
      let dot = 0;
      for (let t = 0; t < timePoints; t += 1) dot += z[a + t]! * z[b + t]!;
      const fisher = Math.atanh(Math.min(CLIP, Math.max(-CLIP, dot)));
      matrix[i * rois + j] = fisher;
      matrix[j * rois + i] = fisher;
    }
  }
  return { rois, matrix, missing };
}
