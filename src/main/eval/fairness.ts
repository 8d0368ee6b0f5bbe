import { SeededRandom } from '../synth/random';
import { auc } from './metrics';
import { compareGroupNames } from '../../shared/ageGroups';

export const MIN_GROUP_SIZE = 10;

export interface GroupRow {
  group: string;
  n: number;
  positives: number;
  acc: number;
  auc: number;
  tpr: number;
  fpr: number;
  selectionRate: number;
  /** Fewer than MIN_GROUP_SIZE test subjects: listed, but left out of the gaps. */
  small: boolean;
}

export interface FairnessReport {
  groups: GroupRow[];
  /** Max minus min selection rate (demographic parity difference). */
  dDP: number;
  /** Max minus min true-positive rate (equal opportunity difference). */
  dEOpp: number;
  /** The larger of the TPR and FPR gaps (equalized odds difference). */
  dEOdds: number;
  dAUC: number;
}

function gap(rows: GroupRow[], key: 'selectionRate' | 'tpr' | 'fpr' | 'auc'): number {
  const values = rows.map((row) => row[key]).filter(Number.isFinite);
  return values.length >= 2 ? Math.max(...values) - Math.min(...values) : Number.NaN;
}

/**
 * Fairlearn's between-groups differences for one sensitive attribute, over the groups with at
 * least MIN_GROUP_SIZE subjects. Subjects with no group (null) are left out.
 */
export function fairnessReport(labels: number[], scores: number[], groups: (string | null)[], threshold = 0.5): FairnessReport {
  const names = [...new Set(groups.filter((g): g is string => g !== null))].sort(compareGroupNames);
  const rows = names.map((group): GroupRow => {
    const members = groups.map((g, i) => (g === group ? i : -1)).filter((i) => i >= 0);
    const y = members.map((i) => labels[i]!);
    const s = members.map((i) => scores[i]!);
    const predicted: number[] = s.map((p) => (p > threshold ? 1 : 0));
    const positives = y.filter((v) => v === 1).length;
    const negatives = y.length - positives;
    const truePositives = predicted.filter((p, k) => p === 1 && y[k] === 1).length;
    const falsePositives = predicted.filter((p, k) => p === 1 && y[k] === 0).length;
    return {
      group,
      n: members.length,
      positives,
      acc: predicted.filter((p, k) => p === y[k]).length / members.length,
      auc: auc(y, s),
      tpr: positives ? truePositives / positives : Number.NaN,
      fpr: negatives ? falsePositives / negatives : Number.NaN,
      selectionRate: predicted.reduce((a, b) => a + b, 0) / members.length,
      small: members.length < MIN_GROUP_SIZE,
    };
  });
  const counted = rows.filter((row) => !row.small);
  const tprGap = gap(counted, 'tpr');
  const fprGap = gap(counted, 'fpr');
  return {
    groups: rows,
    dDP: gap(counted, 'selectionRate'),
    dEOpp: tprGap,
    dEOdds:
      Number.isFinite(tprGap) || Number.isFinite(fprGap)
        ? Math.max(Number.isFinite(tprGap) ? tprGap : -Infinity, Number.isFinite(fprGap) ? fprGap : -Infinity)
        : Number.NaN,
    dAUC: gap(counted, 'auc'),
  };
}

export type GapName = 'dDP' | 'dEOpp' | 'dEOdds' | 'dAUC';

/**
 * 95 % percentile-bootstrap intervals of the four gaps, resampling test subjects with replacement
 * (seeded). Draws where a gap is undefined (fewer than two groups large enough) are skipped.
 */
export function fairnessGapIntervals(
  labels: number[],
  scores: number[],
  groups: (string | null)[],
  samples = 500,
  seed = 0,
): Record<GapName, [number, number]> {
  const random = new SeededRandom(seed);
  const draws: Record<GapName, number[]> = { dDP: [], dEOpp: [], dEOdds: [], dAUC: [] };
  const n = labels.length;
  for (let b = 0; b < samples; b += 1) {
    const pick = Array.from({ length: n }, () => random.int(n));
    const report = fairnessReport(
      pick.map((i) => labels[i]!),
      pick.map((i) => scores[i]!),
      pick.map((i) => groups[i] ?? null),
    );
    for (const name of Object.keys(draws) as GapName[]) if (Number.isFinite(report[name])) draws[name].push(report[name]);
  }
  const interval = (values: number[]): [number, number] => {
    if (values.length === 0) return [Number.NaN, Number.NaN];
    const sorted = values.sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
    return [at(0.025), at(0.975)];
  };
  return { dDP: interval(draws.dDP), dEOpp: interval(draws.dEOpp), dEOdds: interval(draws.dEOdds), dAUC: interval(draws.dAUC) };
}

/**
 * How large dEOdds gets by chance with these group sizes: the group labels shuffled among the
 * subjects of the same diagnosis (which keeps every group's positives and negatives, and makes the
 * scores independent of the group given the diagnosis: equalised odds holding exactly), `samples`
 * times (seeded). `chance` is the median of those gaps, `p` the share at least as large as the
 * observed one ((1 + count) / (1 + samples)).
 */
export function equalisedOddsNull(
  labels: number[],
  scores: number[],
  groups: (string | null)[],
  samples = 500,
  seed = 0,
): { chance: number; p: number } {
  const observed = fairnessReport(labels, scores, groups).dEOdds;
  if (!Number.isFinite(observed)) return { chance: Number.NaN, p: Number.NaN };
  const random = new SeededRandom(seed);
  const classes = [0, 1].map((y) => labels.map((label, i) => (label === y && groups[i] !== null ? i : -1)).filter((i) => i >= 0));
  const shuffled = [...groups];
  const gaps: number[] = [];
  for (let b = 0; b < samples; b += 1) {
    for (const members of classes) {
      const order = random.permutation(members.length);
      members.forEach((i, k) => (shuffled[i] = groups[members[order[k]!]!]!));
    }
    const gap = fairnessReport(labels, scores, shuffled).dEOdds;
    if (Number.isFinite(gap)) gaps.push(gap);
  }
  if (gaps.length === 0) return { chance: Number.NaN, p: Number.NaN };
  const sorted = [...gaps].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const chance = sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { chance, p: (1 + gaps.filter((gap) => gap >= observed - 1e-12).length) / (1 + gaps.length) };
}
