import type { RunSummary } from '../../../../shared/api';
/** A table as CSV text (RFC 4180 quoting), header first. */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  const cell = (value: string | number | null): string => {
    const text = value === null ? '' : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

const GAP_NAMES = ['dDP', 'dEOpp', 'dEOdds', 'dAUC'] as const;

/** One row per sensitive attribute and gap: its value and 95 % bootstrap CI, for the gaps CSV. */
export function fairnessGapRows(fairness: RunSummary['fairness']): (string | number | null)[][] {
  return Object.entries(fairness).flatMap(([attribute, report]) =>
    GAP_NAMES.map((gap) => [attribute, gap, report[gap], report.ci?.[gap]?.[0] ?? null, report.ci?.[gap]?.[1] ?? null]),
  );
}
