import { createCallerFactory } from './trpc';
import { describe, expect, it } from 'vitest';
import { ABIDE } from '../../test-support/sharedData';
import { useTestCore } from '../../test-support/testCore';
import { appRouter } from './router';
import { ImportSummary } from '../../shared/api';

const caller = createCallerFactory(appRouter);

describe('cohorts API', () => {
  const testCore = useTestCore();

  it('detects, previews and imports a cohort as jobs, then renames and deletes it', async () => {
    const core = testCore();
    const api = caller({ core });
    const proposal = await api.cohorts.detect({ phenotypePath: ABIDE.phenotype, dataPath: ABIDE.ho });
    const request = {
      phenotypePath: ABIDE.phenotype,
      dataPath: ABIDE.ho,
      name: 'HO',
      layout: proposal.layout,
      atlas: proposal.atlas,
      mapping: proposal.mapping,
      qc: proposal.qc,
      matrixKind: 'auto' as const,
    };

    const preview = await core.jobs.settled((await api.cohorts.preview(request)).id);
    expect(ImportSummary.parse(preview!.result)).toMatchObject({ subjects: 99, rois: 110, cohortId: null });
    expect(await api.cohorts.list()).toEqual([]);

    const imported = await core.jobs.settled((await api.cohorts.import(request)).id);
    const cohortId = ImportSummary.parse(imported!.result).cohortId!;
    expect((await api.cohorts.list()).map((c) => c.name)).toEqual(['HO']);

    await api.cohorts.rename({ cohortId, name: 'Harvard-Oxford' });
    expect((await api.cohorts.detail({ cohortId })).name).toBe('Harvard-Oxford');
    await api.cohorts.delete({ cohortId });
    expect(await api.cohorts.list()).toEqual([]);
    expect(core.store.summary()).toMatchObject({ cohorts: 0, subjects: 0 });
    await expect(api.cohorts.delete({ cohortId })).rejects.toThrow('No such cohort.');
  });

  it('reports a failed import job with the file, line and column', async () => {
    const core = testCore();
    const api = caller({ core });
    const proposal = await api.cohorts.detect({ phenotypePath: ABIDE.phenotype, dataPath: ABIDE.ho });
    const mapping = { ...proposal.mapping, diagnosis: { ...proposal.mapping.diagnosis, codes: { '1': 'autism' }, control: 'autism' } };
    const job = await api.cohorts.import({
      phenotypePath: ABIDE.phenotype,
      dataPath: ABIDE.ho,
      name: 'x',
      layout: 'pcp',
      atlas: null,
      mapping,
      qc: proposal.qc,
      matrixKind: 'auto',
    });
    const final = await core.jobs.settled(job.id);
    expect(final?.state).toBe('failed');
    expect(final?.error).toMatch(/^Phenotypic_V1_0b_preprocessed1\.csv, line \d+, column DX_GROUP: unknown diagnosis code "2"/);
  });

  it('refuses relative paths and says why; browses folders', async () => {
    const api = caller({ core: testCore() });
    await expect(api.cohorts.detect({ phenotypePath: '../etc/passwd', dataPath: '/tmp' })).rejects.toThrow(/an absolute path/);
    const listing = await api.cohorts.browse({ path: ABIDE.cc200.replace(/\/rois_cc200$/, '') });
    expect(listing.entries.map((e) => `${e.kind}:${e.name}`)).toEqual(
      expect.arrayContaining(['folder:rois_cc200', 'folder:rois_ho', 'file:Phenotypic_V1_0b_preprocessed1.csv']),
    );
    await expect(api.cohorts.browse({ path: '/no/such/folder' })).rejects.toThrow(/ENOENT/);
  });

  it('offers the built-in atlases', async () => {
    const atlases = await caller({ core: testCore() }).cohorts.atlases();
    expect(atlases.map((a) => a.id)).toEqual(['aal116', 'harvard-oxford-cort']);
  });
});
