import { validationSplit } from '../eval/folds';
import type { CohortData } from './cohortData';

/**
 * Holds out `fraction` of a fold's training subjects for early stopping, stratified by diagnosis
 * within site (a diagnosis-site pair with one subject falls back to the diagnosis alone).
 */
export function earlyStoppingSplit(
  data: CohortData,
  train: number[],
  fraction: number,
  seed: number,
): { fit: number[]; validation: number[] } {
  const strata = Array.from(data.dx, (d, i) => `${d}|${data.attributes.site![i]}`);
  return validationSplit(train, strata, Array.from(data.dx, String), fraction, seed);
}
