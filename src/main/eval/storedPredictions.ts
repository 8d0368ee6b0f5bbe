import type Database from 'better-sqlite3';
import { TrainConfig } from '../model/trainConfig';

/** One subject's out-of-fold prediction in a finished run, with what the project knows of the subject. */
export interface StoredPrediction {
  subject: string;
  /** The fold that tested the subject, from 0. */
  fold: number;
  /** The predicted patient probability. */
  score: number;
  predicted: string;
  /** The subject's diagnosis as imported. */
  diagnosis: string;
  /** 1 where the run counted the subject a patient. */
  patient: 0 | 1;
  phenotype: Record<string, unknown>;
  /** The import's quality figures: meanFd, timePoints, missingRois. */
  qc: Record<string, unknown>;
}

/** A finished run's configuration and its predictions in fold order; undefined for no finished run of that id. */
export function storedPredictions(
  db: Database.Database,
  runId: number,
): { config: TrainConfig; control: string; rows: StoredPrediction[] } | undefined {
  const run = db
    .prepare("SELECT r.config, c.mapping FROM runs r JOIN cohorts c ON c.id = r.cohort_id WHERE r.id = ? AND r.status = 'done'")
    .get(runId) as { config: string; mapping: string } | undefined;
  if (!run) return undefined;
  const control = (JSON.parse(run.mapping) as { diagnosis: { control: string } }).diagnosis.control;
  const stored = db
    .prepare(
      `SELECT s.external_id AS subject, p.fold, p.score, p.predicted, s.phenotype, s.qc
       FROM predictions p JOIN subjects s ON s.id = p.subject_id WHERE p.run_id = ? ORDER BY p.fold, s.external_id`,
    )
    .all(runId) as { subject: string; fold: number; score: number; predicted: string; phenotype: string; qc: string | null }[];
  return {
    config: TrainConfig.parse(JSON.parse(run.config)),
    control,
    rows: stored.map((row) => {
      const phenotype = JSON.parse(row.phenotype) as Record<string, unknown>;
      const diagnosis = String(phenotype.diagnosis);
      return {
        subject: row.subject,
        fold: row.fold,
        score: row.score,
        predicted: row.predicted,
        diagnosis,
        patient: diagnosis === control ? 0 : 1,
        phenotype,
        qc: row.qc ? (JSON.parse(row.qc) as Record<string, unknown>) : {},
      };
    }),
  };
}
