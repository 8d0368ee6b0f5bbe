import { describe, expect, it } from 'vitest';
import { holmAdjusted } from './holm';

describe('holmAdjusted', () => {
  it('multiplies the k-th smallest p by the tests left, keeps the order monotone, and caps at 1', () => {
    // statsmodels' multipletests(method='holm') gives 0.04, 0.09, 0.09, 0.6 for these.
    const adjusted = holmAdjusted([0.03, 0.01, 0.6, 0.04]);
    [0.09, 0.04, 0.6, 0.09].forEach((v, i) => expect(adjusted[i]).toBeCloseTo(v, 12));
    expect(holmAdjusted([0.5, 0.4])).toEqual([0.8, 0.8]);
    expect(holmAdjusted([0.9, 0.8])).toEqual([1, 1]);
  });

  it('leaves out the entries without a test', () => {
    expect(holmAdjusted([null, 0.02, null, 0.03])).toEqual([null, 0.04, null, 0.04]);
    expect(holmAdjusted([null])).toEqual([null]);
  });
});
