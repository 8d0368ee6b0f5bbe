import type Database from 'better-sqlite3';
import type { PredictionTable } from '../../shared/api';
import { TrainConfig } from '../model/trainConfig';

/**
 * A finished run's out-of-fold predictions, one row per subject in fold order: its id, the fold
 * that tested it, its diagnosis and whether the run counted it a patient, the predicted patient
 * probability and label, and its group for each of the run's sensitive attributes (the groups the
 * fairness tables count). For the lab's own analyses, as CSV. Undefined for no finished run of that id.
 */
export function predictionTable(db: Database.Database, runId: number): PredictionTable | undefined {
  const run = db
    .prepare("SELECT r.config, c.mapping FROM runs r JOIN cohorts c ON c.id = r.cohort_id WHERE r.id = ? AND r.status = 'done'")
    .get(runId) as { config: string; mapping: string } | undefined;
  if (!run) return undefined;
  const attributes = TrainConfig.parse(JSON.parse(run.config)).sensitive;
  const control = (JSON.parse(run.mapping) as { diagnosis: { control: string } }).diagnosis.control;
  const stored = db
    .prepare(
      `SELECT s.external_id AS subject, p.fold, p.score, p.predicted, s.phenotype
       FROM predictions p JOIN subjects s ON s.id = p.subject_id WHERE p.run_id = ? ORDER BY p.fold, s.external_id`,
    )
    .all(runId) as { subject: string; fold: number; score: number; predicted: string; phenotype: string }[];
  return {
    attributes,
    rows: stored.map((row) => {
      const phenotype = JSON.parse(row.phenotype) as Record<string, unknown>;
      const diagnosis = String(phenotype.diagnosis);
      return {
        subject: row.subject,
        fold: row.fold + 1,
        diagnosis,
        patient: diagnosis === control ? 0 : 1,
        patientProbability: row.score,
        predicted: row.predicted,
        groups: attributes.map((name) => {
          const value = phenotype[name];
          return value === null || value === undefined || value === '' ? null : String(value);
        }),
      };
    }),
  };
}
