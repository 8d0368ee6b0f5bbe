import { logOdds, shiftLogOdds } from './logOdds';

/**
 * Patient probabilities with each group's mean log-odds moved to the log-odds of `share` (the
 * training subjects' patient share); subjects of group -1 keep theirs. This is the site offset of a
 * site that no training subject came from: it has no labelled scores to estimate one on, so its
 * subjects' predictions are centred on their own mean, without their labels, as its connectivity was
 * standardised on its own subjects (FoldInputs). The order within a group is kept.
 */
export function centreGroupLogOdds(probability: Float32Array, groups: Int32Array, share: number): Float32Array {
  const sums = new Map<number, { total: number; count: number }>();
  probability.forEach((p, i) => {
    const g = groups[i]!;
    if (g < 0) return;
    const sum = sums.get(g) ?? { total: 0, count: 0 };
    sum.total += logOdds(p);
    sum.count += 1;
    sums.set(g, sum);
  });
  const target = logOdds(share);
  return Float32Array.from(probability, (p, i) => {
    const sum = sums.get(groups[i]!);
    if (!sum) return p;
    return shiftLogOdds(p, target - sum.total / sum.count);
  });
}
