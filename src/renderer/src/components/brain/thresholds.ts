/**
 * Thresholds as nilearn gives them: an absolute value, or a percentile of the absolute values
 * ("80%" in plot_connectome's edge_threshold), compared with |value|.
 */
export type Threshold = { kind: 'absolute'; value: number } | { kind: 'percentile'; percent: number };

/** The p-th percentile (0-100) with linear interpolation between order statistics (NumPy's default). */
export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Array.from(values)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const position = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/** The absolute cut-off a threshold means for these values. */
export function cutoff(values: ArrayLike<number>, threshold: Threshold): number {
  if (threshold.kind === 'absolute') return Math.abs(threshold.value);
  return percentile(Array.from(values, Math.abs), threshold.percent);
}

/** Whether each value passes: |value| >= cut-off (non-finite values never pass). */
export function passes(values: ArrayLike<number>, cut: number): boolean[] {
  return Array.from(values, (v) => Number.isFinite(v) && Math.abs(v) >= cut);
}
