import { beforeAll, describe, expect, it } from 'vitest';
import { useTestCore } from '../../test-support/testCore';
import { appRouter } from '../api/router';
import { createCallerFactory } from '../api/trpc';
import { methodsParagraph } from '../report/methodsText';
import { importDemoCohort } from '../synth/demoCohort';
import { selectBackend } from '../tf/backend';
import { loadCohortData } from './cohortData';
import { selectPatients } from './diagnosisGroups';

const caller = createCallerFactory(appRouter);

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('patient groups', () => {
  const testCore = useTestCore();

  it('takes every patient group as one class by default, or only the named ones', () => {
    const all = selectPatients('c', 'TDC', ['ADHD-C', 'ADHD-I'], []);
    expect(all.patientLabel).toBe('ADHD-C or ADHD-I');
    expect(['TDC', 'ADHD-C', 'ADHD-I'].map(all.includes)).toEqual([true, true, true]);
    const combined = selectPatients('c', 'TDC', ['ADHD-C', 'ADHD-I'], ['ADHD-C']);
    expect(combined.patientLabel).toBe('ADHD-C');
    expect(['TDC', 'ADHD-C', 'ADHD-I'].map(combined.includes)).toEqual([true, true, false]);
  });

  it('refuses a group the cohort does not have, naming the ones it has, and a cohort with no patients', () => {
    expect(() => selectPatients('adhd', 'TDC', ['ADHD-C', 'ADHD-I'], ['ADHD-H', 'TDC'])).toThrow(
      '"ADHD-H", "TDC" are not patient groups of cohort "adhd" (patientGroups, --patients). Its patient groups: "ADHD-C", "ADHD-I" (controls: "TDC").',
    );
    expect(() => selectPatients('adhd', 'TDC', [], [])).toThrow('Cohort "adhd" has no patient group besides its controls ("TDC")');
  });

  it('lists a cohort with two patient groups, trains on the controls and the one asked for, and says so in the methods', async () => {
    const core = testCore();
    const api = caller({ core });
    const demo = await importDemoCohort(core.store, { subjects: 60, rois: 12, timePoints: 60, seed: 2 }, { workers: 0 });
    // Every third autistic subject becomes a second patient group, as subtypes imported apart would be.
    const autistic = core.store.db
      .prepare("SELECT id FROM subjects WHERE json_extract(phenotype, '$.diagnosis') = 'autism' ORDER BY external_id")
      .all() as { id: number }[];
    const moved = autistic.filter((_, k) => k % 3 === 0);
    const relabel = core.store.db.prepare("UPDATE subjects SET phenotype = json_set(phenotype, '$.diagnosis', 'asperger') WHERE id = ?");
    for (const { id } of moved) relabel.run(id);
    const groups = await api.runs.diagnosisGroups({ cohortId: demo.cohortId });
    expect(groups).toEqual({
      control: { label: 'control', n: 60 - autistic.length },
      patients: [
        { label: 'asperger', n: moved.length },
        { label: 'autism', n: autistic.length - moved.length },
      ],
    });
    expect(loadCohortData(core.store.db, demo.cohortId).labels).toEqual({ control: 'control', patient: 'asperger or autism' });
    const autismOnly = loadCohortData(core.store.db, demo.cohortId, { patientGroups: ['autism'] });
    expect(autismOnly.subjectIds).toHaveLength(60 - moved.length);
    expect(autismOnly.subjectIds.some((id) => moved.some((m) => m.id === id))).toBe(false);

    const config = { variant: 'neurolip-v1', epochs: 1, patience: 1, d: 8, heads: 2, batchSize: 16 };
    await expect(
      api.runs.train({ cohortId: demo.cohortId, protocol: 'kfold5', config: { ...config, patientGroups: ['adhd'] } }),
    ).rejects.toThrow('"adhd" is not a patient group of cohort');
    const job = await api.runs.train({ cohortId: demo.cohortId, protocol: 'kfold5', config: { ...config, patientGroups: ['autism'] } });
    const done = await core.jobs.settled(job.id);
    expect(done?.state, done?.error ?? '').toBe('done');
    const summary = await api.runs.result({ runId: (done!.result as { run: number }).run });
    expect(summary.subjects).toBe(60 - moved.length);
    const methods = methodsParagraph(summary, { name: 'demo', subjects: 60, atlas: null, synthetic: true }, undefined);
    expect(methods).toContain(
      'The diagnosis predicted was autism against the controls; the cohort’s subjects of other patient groups were left out.',
    );
  }, 120_000);
});
