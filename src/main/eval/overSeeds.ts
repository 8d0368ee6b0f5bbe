import type { OverSeedsRow } from '../../shared/api';
import { summariseComparison, type ComparedRun, type PairedDifference } from './comparisonTable';

/** A picked run with what decides whether runs can be summarised together. */
export interface PickedRun {
  run: ComparedRun;
  cohortId: number;
  protocol: string;
}

const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);
const meanSd = (value: { mean: number; sd: number }) => ({ mean: finite(value.mean), sd: finite(value.sd) });
const paired = (value: PairedDifference) => ({ ...meanSd(value), se: finite(value.se), higher: value.higher, seeds: value.seeds });

/**
 * The picked runs by variant, in the order their variants first appear, each figure as mean ± SD
 * over the variant's seeds and against the first variant seed by seed (summariseComparison, as
 * `neurolip compare` writes it). Null unless the runs share one cohort and protocol, no variant
 * has a seed twice, and some variant has two seeds or more: otherwise there is nothing to average.
 */
export function overSeeds(picked: PickedRun[]): OverSeedsRow[] | null {
  if (new Set(picked.map((p) => `${p.cohortId} ${p.protocol}`)).size !== 1) return null;
  const keys = picked.map((p) => `${p.run.variant} ${p.run.seed}`);
  if (new Set(keys).size !== keys.length) return null;
  const variants = [...new Set(picked.map((p) => p.run.variant))];
  if (!variants.some((variant) => picked.filter((p) => p.run.variant === variant).length >= 2)) return null;
  return summariseComparison(
    picked.map((p) => p.run),
    variants,
  ).map((row) => ({
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
