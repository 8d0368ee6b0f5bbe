import { describe, expect, it } from 'vitest';
import type { SubjectRow } from '../../../../shared/api';
import { AGE_GROUPS, ageGroup } from '../../../../shared/ageGroups';
import { countBy } from './demographicCounts';

const subject = (site: string, diagnosis: string, age: number): SubjectRow => ({
  id: 0,
  externalId: '0',
  diagnosis,
  sex: 'male',
  age,
  site,
  meanFd: null,
  timePoints: null,
  missingRois: 0,
});

describe('demographic counts', () => {
  const subjects = [
    subject('UCLA_1', 'autism', 19),
    subject('KKI', 'control', 9),
    subject('KKI', 'autism', 14),
    subject('KKI', 'autism', 11),
  ];

  it('puts the age groups in age order, not alphabetical order, and leaves out empty ones', () => {
    const byAge = countBy(
      subjects,
      (s) => ageGroup(s.age)!,
      (s) => s.diagnosis,
      AGE_GROUPS,
    );
    expect(byAge.categories).toEqual(['<12', '12-17', '>=18']);
    expect(byAge.series).toEqual([
      { label: 'autism', stack: 'total', data: [1, 1, 1] },
      { label: 'control', stack: 'total', data: [1, 0, 0] },
    ]);
    expect(
      countBy(
        subjects.slice(1),
        (s) => ageGroup(s.age)!,
        (s) => s.diagnosis,
        AGE_GROUPS,
      ).categories,
    ).toEqual(['<12', '12-17']);
  });

  it('puts other categories in alphabetical order', () => {
    expect(
      countBy(
        subjects,
        (s) => s.site!,
        (s) => s.diagnosis,
      ).categories,
    ).toEqual(['KKI', 'UCLA_1']);
  });
});
