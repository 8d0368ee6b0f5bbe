import type { RunSummary } from '../../../../shared/api';

const GAP_NAMES = ['dDP', 'dEOpp', 'dEOdds', 'dAUC'] as const;

/** One row per sensitive attribute and gap: its value and 95 % bootstrap CI, for the gaps CSV. */
export function fairnessGapRows(fairness: RunSummary['fairness']): (string | number | null)[][] {
  return Object.entries(fairness).flatMap(([attribute, report]) =>
    GAP_NAMES.map((gap) => [attribute, gap, report[gap], report.ci?.[gap]?.[0] ?? null, report.ci?.[gap]?.[1] ?? null]),
  );
}
