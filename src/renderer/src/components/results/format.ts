/** Formats a metric for tables: three decimals, an en dash when undefined. */
export function formatValue(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

export const METRIC_LABELS: Record<string, string> = {
  auc: 'AUC',
  acc: 'Accuracy',
  balancedAcc: 'Balanced accuracy',
  f1: 'F1',
  sensitivity: 'Sensitivity',
  specificity: 'Specificity',
};

/** "0.737 ± 0.012"; the mean alone for one seed; an en dash when there is none. */
export function formatMeanSd(value: { mean: number | null; sd: number | null } | undefined): string {
  if (value?.mean == null) return '–';
  return value.sd == null ? formatValue(value.mean) : `${formatValue(value.mean)} ± ${formatValue(value.sd)}`;
}

/** "+0.014 ± 0.016 (SE 0.007; higher on 4 of 5)", as `neurolip compare` writes a paired difference over seeds. */
export function formatPairedBySeed(
  value: { mean: number | null; sd: number | null; se: number | null; higher: number; seeds: number } | undefined,
): string {
  if (!value || value.mean == null || value.seeds === 0) return '–';
  const sign = value.mean >= 0 ? '+' : '';
  const spread = value.sd == null ? ' (' : ` ± ${formatValue(value.sd)} (SE ${formatValue(value.se)}; `;
  return `${sign}${formatValue(value.mean)}${spread}higher on ${value.higher} of ${value.seeds})`;
}
