import { beforeAll, describe, expect, it } from 'vitest';
import { ABIDE } from '../../test-support/sharedData';
import { useTestCore } from '../../test-support/testCore';
import { appRouter } from '../api/router';
import { createCallerFactory } from '../api/trpc';
import { importCohort } from '../cohort/importCohort';
import { buildImportRequest } from '../cohort/planImport';
import { selectBackend } from '../tf/backend';
import { checkSensitiveAttributes, MAX_SENSITIVE_GROUPS, sensitiveAttributeOptions } from './sensitiveAttributes';

const caller = createCallerFactory(appRouter);

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('sensitive attributes', () => {
  it('offers sex, age group and site first, then columns with 2 to 20 groups, never the diagnosis or age', () => {
    const many = Array.from({ length: MAX_SENSITIVE_GROUPS + 1 }, (_, i) => String(i));
    const options = sensitiveAttributeOptions({
      sex: ['female', 'male', null],
      ageGroup: ['<12', '<12', '<12'],
      site: ['A', 'B', 'A'],
      diagnosis: ['control', 'autism', 'control'],
      age: ['10', '11', '10'],
      handedness: ['R', null, 'L'],
      constant: ['x', 'x', 'x'],
      subjectNumber: many,
    });
    expect(options.map((o) => o.name)).toEqual(['sex', 'ageGroup', 'site', 'handedness']);
    expect(options[3]).toEqual({
      name: 'handedness',
      groups: [
        { value: 'L', n: 1 },
        { value: 'R', n: 1 },
      ],
      missing: 1,
    });
    expect(() => checkSensitiveAttributes(options, ['sex', 'handednes', 'age'])).toThrow(
      '"handednes", "age" are not categorical phenotype columns of this cohort (2 to 20 groups). Its sensitive attributes: sex, ageGroup, site, handedness.',
    );
  });

  describe('on the real ABIDE sample', () => {
    const testCore = useTestCore();

    it('lists its categorical columns, trains with one of them, and refuses an unknown one before writing anything', async () => {
      const core = testCore();
      const api = caller({ core });
      const summary = await importCohort(core.store, buildImportRequest(ABIDE.phenotype, ABIDE.ho, { name: 'abide' }), {
        workers: 0,
      });
      const cohortId = summary.cohortId!;
      const options = await api.runs.sensitiveAttributes({ cohortId });
      const names = options.map((o) => o.name);
      expect(names.slice(0, 3)).toEqual(['sex', 'ageGroup', 'site']);
      expect(names).toContain('HANDEDNESS_CATEGORY');
      expect(names).not.toContain('SUB_ID');
      const handedness = options.find((o) => o.name === 'HANDEDNESS_CATEGORY')!;
      expect(handedness.groups.reduce((sum, g) => sum + g.n, 0) + handedness.missing).toBe(summary.subjects);

      await expect(
        api.runs.train({
          cohortId,
          protocol: 'kfold5',
          config: { variant: 'logreg-fc', sensitive: ['sex', 'HANDEDNESS'] },
        }),
      ).rejects.toThrow(/^"HANDEDNESS" is not a categorical phenotype column of this cohort .*HANDEDNESS_CATEGORY/);
      expect(await api.runs.list()).toEqual([]);

      const job = await api.runs.train({
        cohortId,
        protocol: 'kfold5',
        config: { variant: 'neurolip-v1', epochs: 1, d: 8, heads: 2, sensitive: ['sex', 'HANDEDNESS_CATEGORY'] },
      });
      const final = await core.jobs.settled(job.id);
      expect(final?.state, final?.error ?? '').toBe('done');
      const result = await api.runs.result({ runId: final!.runId! });
      expect(Object.keys(result.fairness)).toEqual(['sex', 'HANDEDNESS_CATEGORY']);
      const groups = result.fairness.HANDEDNESS_CATEGORY!.groups;
      expect(groups.map((g) => g.group)).toEqual(handedness.groups.map((g) => g.value));
      expect(groups.map((g) => g.n)).toEqual(handedness.groups.map((g) => g.n));
      // The stored result carries each attribute's permutation null of dEOdds through the API.
      const sexNull = result.fairness.sex!.dEOddsNull!;
      expect(sexNull.p).toBeGreaterThan(0);
      expect(sexNull.p).toBeLessThanOrEqual(1);
      expect(sexNull.chance).toBeGreaterThanOrEqual(0);
    }, 120_000);
  });
});
