import type Database from 'better-sqlite3';
import { pairedAucDifference, samePairing } from '../eval/compareRuns';
import type { ComparisonRow } from '../eval/comparisonTable';
import { overSeeds, pickedRuns } from '../eval/overSeeds';
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
  /** The runs by variant over seeds, where they make such a table (overSeeds). */
  overSeeds: ComparisonRow[] | null;
}

export function readComparisonData(db: Database.Database, runIds: number[], sqliteVersion: string): ComparisonData {
  const runs = runIds.map((runId) => readReportData(db, runId, { includeSubjectIds: false, sqliteVersion }));
  const picked = pickedRuns(new RunRepository(db), runIds);
  const [first, ...rest] = picked.map((p) => p.run.scored);
  const paired = rest.every((other) => samePairing(first!, other));
  return {
    runs,
    paired,
    overSeeds: overSeeds(picked),
    differences: paired
      ? rest.map((other, i) => {
          const d = pairedAucDifference(first!, other);
          return { runId: runIds[i + 1]!, difference: d.difference, ciLow: d.ciLow, ciHigh: d.ciHigh };
        })
      : [],
  };
}
