import type Database from 'better-sqlite3';
import { pairedAucDifference, samePairing, type ScoredSubjects } from '../eval/compareRuns';
import { RunRepository } from '../store/runRepository';
import { readReportData, type ReportData } from './reportData';

export interface PairedDifference {
  runId: number;
  difference: number;
  ciLow: number;
  ciHigh: number;
}

/** Several finished runs for one report: each run's data (no subject identifiers) and paired AUC differences against the first. */
export interface ComparisonData {
  runs: ReportData[];
  /** True when every run used the same test folds over the same subjects. */
  paired: boolean;
  differences: PairedDifference[];
}

function scored(db: Database.Database, runId: number): ScoredSubjects {
  const predictions = new RunRepository(db).predictions(runId);
  return { bySubject: new Map(predictions.map((p) => [p.subjectId, { fold: p.fold, label: p.label, score: p.score }])) };
}

export function readComparisonData(db: Database.Database, runIds: number[], sqliteVersion: string): ComparisonData {
  const runs = runIds.map((runId) => readReportData(db, runId, { includeSubjectIds: false, sqliteVersion }));
  const [first, ...rest] = runIds.map((runId) => scored(db, runId));
  const paired = rest.every((other) => samePairing(first!, other));
  return {
    runs,
    paired,
    differences: paired
      ? rest.map((other, i) => {
          const d = pairedAucDifference(first!, other);
          return { runId: runIds[i + 1]!, difference: d.difference, ciLow: d.ciLow, ciHigh: d.ciHigh };
        })
      : [],
  };
}
