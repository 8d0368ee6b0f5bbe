import type Database from 'better-sqlite3';
import type { PredictionTable } from '../../shared/api';
import { storedPredictions } from './storedPredictions';

/**
 * A finished run's out-of-fold predictions, one row per subject in fold order: its id, the fold
 * that tested it, its diagnosis and whether the run counted it a patient, the predicted patient
 * probability and label, and its group for each of the run's sensitive attributes (the groups the
 * fairness tables count). For the lab's own analyses, as CSV. Undefined for no finished run of that id.
 */
export function predictionTable(db: Database.Database, runId: number): PredictionTable | undefined {
  const stored = storedPredictions(db, runId);
  if (!stored) return undefined;
  const attributes = stored.config.sensitive;
  return {
    attributes,
    rows: stored.rows.map((row) => ({
      subject: row.subject,
      fold: row.fold + 1,
      diagnosis: row.diagnosis,
      patient: row.patient,
      patientProbability: row.score,
      predicted: row.predicted,
      groups: attributes.map((name) => {
        const value = row.phenotype[name];
        return value === null || value === undefined || value === '' ? null : String(value);
      }),
    })),
  };
}
