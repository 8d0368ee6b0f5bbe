import { describe, expect, it } from 'vitest';
import { auc } from './metrics';
import { pairedAucDifference, samePairing, type ScoredSubjects } from './compareRuns';

function scored(rows: [number, number, number, number][]): ScoredSubjects {
  return { bySubject: new Map(rows.map(([subject, fold, label, score]) => [subject, { fold, label, score }])) };
}

describe('paired comparison of runs', () => {
  const labels = Array.from({ length: 40 }, (_, i) => i % 2);
  const a = scored(labels.map((l, i) => [i, i % 4, l, ((i * 13) % 17) / 17]));
  const b = scored(labels.map((l, i) => [i, i % 4, l, 0.4 * l + ((i * 13) % 17) / 30]));

  it('pairs runs only on the same subjects in the same folds', () => {
    expect(samePairing(a, b)).toBe(true);
    expect(samePairing(a, scored(labels.map((l, i) => [i, (i + 1) % 4, l, 0.5])))).toBe(false);
  });

  it('gives the pooled AUC difference with a bootstrap interval around it, and per-fold differences', () => {
    const result = pairedAucDifference(a, b, 400, 1);
    const scoresA = labels.map((_, i) => a.bySubject.get(i)!.score);
    const scoresB = labels.map((_, i) => b.bySubject.get(i)!.score);
    expect(result.difference).toBeCloseTo(auc(labels, scoresB) - auc(labels, scoresA), 12);
    expect(result.ciLow).toBeLessThanOrEqual(result.difference);
    expect(result.ciHigh).toBeGreaterThanOrEqual(result.difference);
    expect(result.foldDifferences).toHaveLength(4);
  });
});
