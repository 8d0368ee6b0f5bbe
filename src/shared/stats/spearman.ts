import { seededRandom } from './seededRandom';

/** Ranks from 1, ties given their average rank (as scipy.stats.rankdata's default). */
export function ranks(values: ArrayLike<number>): Float64Array {
  const order = Array.from(values, (v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const result = new Float64Array(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]![0] === order[start]![0]) end += 1;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k += 1) result[order[k]![1]] = rank;
    start = end + 1;
  }
  return result;
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i += 1) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i += 1) {
    const [da, db] = [a[i]! - ma, b[i]! - mb];
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? Number.NaN : sab / Math.sqrt(saa * sbb);
}

/** Spearman's rank correlation (Pearson's r of the ranks, ties averaged). */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`the maps have ${a.length} and ${b.length} values`);
  return pearson(ranks(a), ranks(b));
}

export interface SpearmanTest {
  rho: number;
  /** Two-sided permutation p-value, (1 + #{|rho_perm| >= |rho|}) / (1 + permutations). */
  p: number;
  permutations: number;
}

/**
 * Spearman's rho with a two-sided permutation p-value: one side's values are shuffled (Fisher-Yates,
 * seeded, so the same seed gives the same p). Over a map's ROIs this ignores spatial
 * autocorrelation; over subjects it assumes they are exchangeable.
 */
export function spearmanPermutationTest(a: ArrayLike<number>, b: ArrayLike<number>, permutations = 5000, seed = 0): SpearmanTest {
  const rho = spearman(a, b);
  const ra = ranks(a);
  const rb = Array.from(ranks(b));
  const random = seededRandom(seed);
  let extreme = 0;
  for (let k = 0; k < permutations; k += 1) {
    for (let i = rb.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [rb[i], rb[j]] = [rb[j]!, rb[i]!];
    }
    if (Math.abs(pearson(ra, rb)) >= Math.abs(rho) - 1e-12) extreme += 1;
  }
  return { rho, p: (1 + extreme) / (1 + permutations), permutations };
}
