import { describe, expect, it } from 'vitest';
import { ageGroup, compareGroupNames } from './ageGroups';
import { FairnessSummary } from './api/runs';

describe('age groups', () => {
  it('bins ages as the spec does', () => {
    expect([ageGroup(null), ageGroup(6.5), ageGroup(11.99), ageGroup(12), ageGroup(17.9), ageGroup(18), ageGroup(64)]).toEqual([
      null,
      '<12',
      '<12',
      '12-17',
      '12-17',
      '>=18',
      '>=18',
    ]);
  });

  it('orders the age groups by age and every other name as sort() does', () => {
    expect(['>=18', '12-17', '<12'].sort(compareGroupNames)).toEqual(['<12', '12-17', '>=18']);
    expect(['male', 'female', 'UCLA_1', 'KKI'].sort(compareGroupNames)).toEqual(['KKI', 'UCLA_1', 'female', 'male']);
  });

  it("reads a stored run's age groups in age order, as runs stored before this order did not", () => {
    const group = (name: string) => ({
      group: name,
      n: 10,
      positives: 5,
      acc: 0.5,
      auc: 0.5,
      tpr: 0.5,
      fpr: 0.5,
      selectionRate: 0.5,
      small: false,
    });
    const stored = { groups: ['12-17', '<12', '>=18'].map(group), dDP: 0, dEOpp: 0, dEOdds: 0, dAUC: 0 };
    expect(FairnessSummary.parse(stored).groups.map((g) => g.group)).toEqual(['<12', '12-17', '>=18']);
  });
});
