import type Database from 'better-sqlite3';
import type { ConfoundCheck } from '../../shared/api';
import { holmAdjusted } from '../../shared/stats/holm';
import { spearmanPermutationTest } from '../../shared/stats/spearman';
import { storedPredictions, type StoredPrediction } from './storedPredictions';

/** The nuisance variables every import records, and where a subject's value is. */
const CONFOUNDS: { variable: string; label: string; value: (row: StoredPrediction) => unknown }[] = [
  { variable: 'meanFd', label: 'Head motion (mean framewise displacement, mm)', value: (row) => row.qc.meanFd },
  { variable: 'age', label: 'Age (years)', value: (row) => row.phenotype.age },
  { variable: 'timePoints', label: 'Scan length (time points)', value: (row) => row.qc.timePoints },
];

/** Fewer subjects with a value than this in a class give no correlation. */
export const MIN_CONFOUND_SUBJECTS = 10;
const PERMUTATIONS = 2000;

/**
 * For each nuisance variable, within each diagnosis class (controls, then patients): its mean, and
 * the Spearman correlation of the patient probability with it, with a permutation p-value (seeded).
 * Within a class the diagnosis is fixed, so a clear correlation there means the predictions follow
 * the variable itself: head motion, which differs between diagnoses in ABIDE, is the usual suspect.
 * Each p also comes adjusted by Holm's method for all the tests made (pHolm).
 */
export function confoundChecks(rows: StoredPrediction[], classNames: [string, string]): ConfoundCheck[] {
  const checks = CONFOUNDS.map(({ variable, label, value }) => ({
    variable,
    label,
    groups: classNames.map((group, patient) => {
      const pairs = rows.flatMap((row) => {
        const v = value(row);
        return row.patient === patient && typeof v === 'number' && Number.isFinite(v) ? [[row.score, v] as const] : [];
      });
      const n = pairs.length;
      const mean = n === 0 ? null : pairs.reduce((sum, [, v]) => sum + v, 0) / n;
      if (n < MIN_CONFOUND_SUBJECTS) return { group, n, mean, rho: null, p: null };
      const test = spearmanPermutationTest(
        pairs.map(([score]) => score),
        pairs.map(([, v]) => v),
        PERMUTATIONS,
      );
      return Number.isFinite(test.rho) ? { group, n, mean, rho: test.rho, p: test.p } : { group, n, mean, rho: null, p: null };
    }),
  }));
  const adjusted = holmAdjusted(checks.flatMap((check) => check.groups.map((group) => group.p)));
  let k = 0;
  return checks.map((check) => ({ ...check, groups: check.groups.map((group) => ({ ...group, pHolm: adjusted[k++]! })) }));
}

/** A finished run's confound checks; undefined for no finished run of that id. */
export function runConfoundChecks(db: Database.Database, runId: number): ConfoundCheck[] | undefined {
  const stored = storedPredictions(db, runId);
  if (!stored) return undefined;
  const patients = [...new Set(stored.rows.filter((row) => row.patient === 1).map((row) => row.diagnosis))].sort();
  return confoundChecks(stored.rows, [`controls (${stored.control})`, `patients (${patients.join(' or ')})`]);
}
