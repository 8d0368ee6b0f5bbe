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
