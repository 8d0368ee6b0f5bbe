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
  const dot = rowDotProducts(z, rois, timePoints);
  for (let i = 0; i < rois; i += 1) {
    if (missing[i]) continue;
    for (let j = i + 1; j < rois; j += 1) {
      if (missing[j]) continue;
      const fisher = Math.atanh(Math.min(CLIP, Math.max(-CLIP, dot(i, j))));
      matrix[i * rois + j] = fisher;
      matrix[j * rois + i] = fisher;
    }
  }
  return { rois, matrix, missing };
}

/**
 * Dot products between the rows of z (R x T, row-major), for i < j: four at a time, so that each
 * load of row i serves four products (about twice as fast as one at a time).
 */
function rowDotProducts(z: Float64Array, rois: number, timePoints: number): (i: number, j: number) => number {
  const gram = new Float64Array(rois * rois);
  for (let i = 0; i < rois; i += 1) {
    const a = i * timePoints;
    let j = i + 1;
    for (; j + 3 < rois; j += 4) {
      const b0 = j * timePoints;
      const b1 = b0 + timePoints;
      const b2 = b1 + timePoints;
      const b3 = b2 + timePoints;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0; t < timePoints; t += 1) {
        const x = z[a + t]!;
        s0 += x * z[b0 + t]!;
        s1 += x * z[b1 + t]!;
        s2 += x * z[b2 + t]!;
        s3 += x * z[b3 + t]!;
      }
      gram[i * rois + j] = s0;
      gram[i * rois + j + 1] = s1;
      gram[i * rois + j + 2] = s2;
      gram[i * rois + j + 3] = s3;
    }
    for (; j < rois; j += 1) {
      const b = j * timePoints;
      let sum = 0;
      for (let t = 0; t < timePoints; t += 1) sum += z[a + t]! * z[b + t]!;
      gram[i * rois + j] = sum;
    }
  }
  return (i, j) => gram[i * rois + j]!;
}
