import { describe, expect, it } from 'vitest';
import { confusion, rocPoints } from './roc';

describe('ROC points and confusion counts', () => {
  it('steps through thresholds, merging ties, and ends at (1, 1)', () => {
    expect(rocPoints([1, 0, 1, 0], [0.9, 0.8, 0.8, 0.1])).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 0, tpr: 0.5 },
      { fpr: 0.5, tpr: 1 },
      { fpr: 1, tpr: 1 },
    ]);
    expect(rocPoints([1, 1], [0.2, 0.3])).toEqual([]);
  });

  it('counts at p > 0.5', () => {
    expect(confusion([1, 1, 0, 0, 1], [0.9, 0.5, 0.6, 0.1, 0.51])).toEqual({ tp: 2, fn: 1, fp: 1, tn: 1 });
  });
});
