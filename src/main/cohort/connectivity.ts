import { fisherZOfColumns } from './connectivityKernel';

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
 * product of the scaled columns; the WebAssembly kernel does all of it (in float64, with SIMD).
 * With `scratch`, the matrix is a view of the kernel's memory, valid until its next use in this thread.
 */
export function fisherZConnectivity(values: Float64Array, timePoints: number, rois: number, scratch = false): Connectivity {
  const missing = new Uint8Array(rois);
  const scaleOf = (roi: number, mean: number, sumSquares: number): number => {
    const norm = Math.sqrt(sumSquares);
    const constant = !(norm > 1e-12 * Math.max(1, Math.abs(mean)) * Math.sqrt(timePoints));
    missing[roi] = constant ? 1 : 0;
    return constant ? 0 : 1 / norm;
  };
  const matrix = fisherZOfColumns(values, timePoints, rois, scaleOf, scratch);
  return { rois, matrix, missing };
}
