import { fisherZConnectivity } from '../cohort/connectivity';
import type { TrainConfig } from '../model/trainConfig';
import type { SeededRandom } from '../synth/random';

/** One subject's stored ROI time series: T x R, row-major. */
export interface SubjectSeries {
  timePoints: number;
  values: Float32Array;
}

/** Whether training with `config` reads the cohort's time series (every process that trains a fold must load them). */
export function needsTimeSeries(config: Pick<TrainConfig, 'timeWindow' | 'variant'>): boolean {
  return config.timeWindow < 1 && config.variant !== 'logreg-fc';
}

/** The shortest window drawn, in time points (a scan shorter than this is used whole). */
export const MIN_WINDOW_POINTS = 20;

/** The window's length for a scan of `timePoints`: `share` of it, at least MIN_WINDOW_POINTS. */
export function windowLength(timePoints: number, share: number): number {
  return Math.min(timePoints, Math.max(MIN_WINDOW_POINTS, Math.round(share * timePoints)));
}

/**
 * Fisher-z connectivity of one random window of the subject's scan (augmentation: each step sees
 * a slightly different connectome of the same brain). The window's start is drawn from `random`,
 * so a seeded run, and a resumed one, draws the same windows. Returns a view of the connectivity
 * kernel's memory, valid until its next use in this thread.
 */
export function windowConnectivity(series: SubjectSeries, rois: number, share: number, random: SeededRandom): Float32Array {
  const length = windowLength(series.timePoints, share);
  const start = random.int(series.timePoints - length + 1);
  const window = Float64Array.from(series.values.subarray(start * rois, (start + length) * rois));
  return fisherZConnectivity(window, length, rois, true).matrix;
}
