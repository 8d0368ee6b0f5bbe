import { describe, expect, it } from 'vitest';
import { fairnessGapRows } from './csv';

describe('fairnessGapRows', () => {
  it('lists each attribute’s gaps with their CIs, leaving a missing CI empty', () => {
    const report = {
      groups: [],
      dDP: 0.1,
      dEOpp: 0.2,
      dEOdds: 0.3,
      dAUC: null,
      ci: { dDP: [0.05, 0.2], dEOpp: [0.1, 0.4], dEOdds: [0.2, 0.5] },
    };
    expect(fairnessGapRows({ sex: report } as never)).toEqual([
      ['sex', 'dDP', 0.1, 0.05, 0.2],
      ['sex', 'dEOpp', 0.2, 0.1, 0.4],
      ['sex', 'dEOdds', 0.3, 0.2, 0.5],
      ['sex', 'dAUC', null, null, null],
    ]);
  });
});
