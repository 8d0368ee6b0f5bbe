import type { PredictionTable } from './api';

/** A table as CSV text (RFC 4180 quoting), header first. */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  const cell = (value: string | number | null): string => {
    const text = value === null ? '' : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** A run's predictions as CSV: one line per subject, its groups for the run's sensitive attributes last. */
export function predictionsCsv(table: PredictionTable): string {
  return toCsv(
    ['subject', 'fold', 'diagnosis', 'patient', 'patient_probability', 'predicted', ...table.attributes],
    table.rows.map((row) => [row.subject, row.fold, row.diagnosis, row.patient, row.patientProbability, row.predicted, ...row.groups]),
  );
}
