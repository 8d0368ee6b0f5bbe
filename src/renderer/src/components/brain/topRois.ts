/** Indices of the k largest values, largest first (ties keep ROI order). */
export function topK(values: ArrayLike<number>, k: number): number[] {
  return Array.from(values, (v, i) => [v, i] as const)
    .filter(([v]) => Number.isFinite(v))
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, Math.max(0, k))
    .map(([, i]) => i);
}

/** ROIs ranked for the table: by |value| for a signed map, by value otherwise. */
export function rankRois(values: ArrayLike<number>, signed: boolean, k: number): number[] {
  return topK(signed ? Array.from(values, Math.abs) : values, k);
}
