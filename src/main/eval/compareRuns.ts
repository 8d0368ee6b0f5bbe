import { SeededRandom } from '../synth/random';
import { auc } from './metrics';

export interface ScoredSubjects {
  /** subject id -> { fold, label, score } */
  bySubject: Map<number, { fold: number; label: number; score: number }>;
}

/** Same subjects in the same test folds: the condition for paired differences. */
export function samePairing(a: ScoredSubjects, b: ScoredSubjects): boolean {
  if (a.bySubject.size !== b.bySubject.size) return false;
  for (const [subject, p] of a.bySubject) if (b.bySubject.get(subject)?.fold !== p.fold) return false;
  return true;
}

/**
 * Pooled AUC of b minus a, with a 95 % paired bootstrap interval (the same resampled subjects for
 * both), and the per-fold AUC differences.
 */
export function pairedAucDifference(
  a: ScoredSubjects,
  b: ScoredSubjects,
  samples = 1000,
  seed = 0,
): { difference: number; ciLow: number; ciHigh: number; foldDifferences: number[] } {
  const subjects = [...a.bySubject.keys()];
  const labels = subjects.map((s) => a.bySubject.get(s)!.label);
  const scoresA = subjects.map((s) => a.bySubject.get(s)!.score);
  const scoresB = subjects.map((s) => b.bySubject.get(s)!.score);
  const difference = auc(labels, scoresB) - auc(labels, scoresA);
  const random = new SeededRandom(seed);
  const draws: number[] = [];
  for (let k = 0; k < samples; k += 1) {
    const pick = subjects.map(() => random.int(subjects.length));
    const y = pick.map((i) => labels[i]!);
    const d =
      auc(
        y,
        pick.map((i) => scoresB[i]!),
      ) -
      auc(
        y,
        pick.map((i) => scoresA[i]!),
      );
    if (Number.isFinite(d)) draws.push(d);
  }
  draws.sort((x, y) => x - y);
  const at = (q: number): number => (draws.length ? draws[Math.round(q * (draws.length - 1))]! : Number.NaN);
  const folds = [...new Set(subjects.map((s) => a.bySubject.get(s)!.fold))].sort((x, y) => x - y);
  const foldDifferences = folds.map((fold) => {
    const members = subjects.map((s, i) => [s, i] as const).filter(([s]) => a.bySubject.get(s)!.fold === fold);
    const y = members.map(([, i]) => labels[i]!);
    return (
      auc(
        y,
        members.map(([, i]) => scoresB[i]!),
      ) -
      auc(
        y,
        members.map(([, i]) => scoresA[i]!),
      )
    );
  });
  return { difference, ciLow: at(0.025), ciHigh: at(0.975), foldDifferences };
}
