import type { OverSeedsRow } from '../../shared/api';
import type { RunRepository } from '../store/runRepository';
import { summariseComparison, type ComparedRun, type ComparisonRow, type PairedDifference } from './comparisonTable';
import { storedComparedRun } from './storedComparedRun';

/** A picked run with what decides whether runs can be summarised together. */
export interface PickedRun {
  run: ComparedRun;
  cohortId: number;
  protocol: string;
}

/** Finished runs of the project as a comparison reads them, in the order given. */
export function pickedRuns(repository: RunRepository, runIds: number[]): PickedRun[] {
  const listed = repository.list();
  return runIds.map((id) => {
    const row = listed.find((r) => r.id === id)!;
    const { run, summary } = storedComparedRun(repository, id, row.seed);
    return { run, cohortId: row.cohortId, protocol: summary.protocol };
  });
}

/**
 * The picked runs by variant, in the order their variants first appear, each figure as mean ± SD
 * over the variant's seeds and against the first variant seed by seed (summariseComparison, as
 * `neurolip compare` writes it). Null unless the runs share one cohort and protocol, no variant
 * has a seed twice, and some variant has two seeds or more: otherwise there is nothing to average.
 */
export function overSeeds(picked: PickedRun[]): ComparisonRow[] | null {
  if (new Set(picked.map((p) => `${p.cohortId} ${p.protocol}`)).size !== 1) return null;
  const keys = picked.map((p) => `${p.run.variant} ${p.run.seed}`);
  if (new Set(keys).size !== keys.length) return null;
  const variants = [...new Set(picked.map((p) => p.run.variant))];
  if (!variants.some((variant) => picked.filter((p) => p.run.variant === variant).length >= 2)) return null;
  return summariseComparison(
    picked.map((p) => p.run),
    variants,
  );
}

const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);
const meanSd = (value: { mean: number; sd: number }) => ({ mean: finite(value.mean), sd: finite(value.sd) });
const paired = (value: PairedDifference) => ({ ...meanSd(value), se: finite(value.se), higher: value.higher, seeds: value.seeds });

/** The rows as the API sends them: what the Results page shows, NaN as null. */
export function overSeedsRows(rows: ComparisonRow[]): OverSeedsRow[] {
  return rows.map((row) => ({
    variant: row.variant,
    seeds: row.seeds,
    auc: meanSd(row.auc),
    balancedAcc: meanSd(row.balancedAcc),
    dEOdds: Object.fromEntries(Object.entries(row.dEOdds).map(([attribute, value]) => [attribute, meanSd(value)])),
    leakage: { sex: meanSd(row.leakage.sex), site: meanSd(row.leakage.site) },
    vsReference: row.pairedVsReference && {
      auc: paired(row.pairedVsReference.auc),
      dEOdds: Object.fromEntries(Object.entries(row.pairedVsReference.dEOdds).map(([attribute, value]) => [attribute, paired(value)])),
      leakage: { sex: paired(row.pairedVsReference.leakage.sex), site: paired(row.pairedVsReference.leakage.site) },
    },
  }));
}
