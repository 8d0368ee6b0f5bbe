import { fisherZOfGram, paddedStride } from './connectivityKernel';

/** Functional connectivity of one subject: Fisher-z Pearson correlations, with the ROIs that had no signal. */
export interface Connectivity {
  rois: number;
  /** R x R, row-major: atanh(clip(r, -0.999, 0.999)), diagonal 0, masked ROIs' rows and columns 0. */
  matrix: Float32Array;
  /** 1 where the ROI's time series was constant (or empty), so its correlations are undefined. */
  missing: Uint8Array;
}

/**
 * Pearson correlation between the columns of a T x R time-series matrix, then Fisher z, as in
 * docs/model spec "Data for one subject". Constant ROIs are masked, never divided by zero.
 *
 * Each ROI is centred and scaled to unit length (in float64), so the correlations are the Gram
 * product of the scaled columns, which the WebAssembly kernel computes (in float64, with SIMD)
 * before taking Fisher z.
 */
export function fisherZConnectivity(values: Float64Array, timePoints: number, rois: number): Connectivity {
  const mean = new Float64Array(rois);
  for (let t = 0; t < timePoints; t += 1) {
    const row = t * rois;
    for (let r = 0; r < rois; r += 1) mean[r]! += values[row + r]!;
  }
  for (let r = 0; r < rois; r += 1) mean[r]! /= timePoints;
  const sumSquares = new Float64Array(rois);
  for (let t = 0; t < timePoints; t += 1) {
    const row = t * rois;
    for (let r = 0; r < rois; r += 1) {
      const centred = values[row + r]! - mean[r]!;
      sumSquares[r]! += centred * centred;
    }
  }
  const missing = new Uint8Array(rois);
  const scale = new Float64Array(rois);
  for (let r = 0; r < rois; r += 1) {
    const norm = Math.sqrt(sumSquares[r]!);
    if (norm > 1e-12 * Math.max(1, Math.abs(mean[r]!)) * Math.sqrt(timePoints)) scale[r] = 1 / norm;
    else missing[r] = 1;
  }

  const stride = paddedStride(rois);
  const matrix = fisherZOfGram(timePoints, rois, stride, (z) => {
    for (let t = 0; t < timePoints; t += 1) {
      const row = t * rois;
      const out = t * stride;
      for (let r = 0; r < rois; r += 1) z[out + r] = (values[row + r]! - mean[r]!) * scale[r]!;
      for (let r = rois; r < stride; r += 1) z[out + r] = 0;
    }
  });
  // A masked ROI's column of Z is zero, so its correlations came out as 0 and atanh(0) = 0 already.
  return { rois, matrix, missing };
}
