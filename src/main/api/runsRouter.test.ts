import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EpochPoint } from '../../shared/api';
import { ABIDE } from '../../test-support/sharedData';
import { useTempDir } from '../../test-support/tempDir';
import { useTestCore } from '../../test-support/testCore';
import { importCohort } from '../cohort/importCohort';
import { buildImportRequest } from '../cohort/planImport';
import { auc } from '../eval/metrics';
import { importDemoCohort } from '../synth/demoCohort';
import { TrainConfig } from '../model/trainConfig';
import { RunRepository } from '../store/runRepository';
import { runExperiment } from '../train/runExperiment';
import { selectBackend } from '../tf/backend';
import { appRouter } from './router';
import { createCallerFactory } from './trpc';

const caller = createCallerFactory(appRouter);

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('runs API', () => {
  const testCore = useTestCore();
  const tempDir = useTempDir();

  it('trains a variant as a job, stores its results, and cancels another', async () => {
    const core = testCore();
    const api = caller({ core });
    const demo = await importDemoCohort(core.store, { subjects: 100, rois: 30, timePoints: 120, seed: 4 }, { workers: 0 });
    const config = { variant: 'neurolip-v1', epochs: 4, patience: 4, d: 8, heads: 2, batchSize: 32 };

    const job = await api.runs.train({ cohortId: demo.cohortId, protocol: 'kfold5', config });
    const seen: string[] = [];
    for await (const event of core.jobs.events(job.id)) if (event.type === 'status') seen.push(event.status.message);
    const final = core.jobs.get(job.id)!;
    expect(final.state, final.error ?? '').toBe('done');
    expect(seen.some((m) => /^Fold 3 of 5, epoch 3: loss \d+\.\d{4}, validation AUC/.test(m))).toBe(true);
    const result = final.result as {
      run: number;
      metrics: { auc: { value: number; ciLow: number; ciHigh: number } };
      fairness: Record<string, { dEOdds: number; groups: { group: string; n: number }[] }>;
      recovery: { precisionAtK: Record<string, number> };
      backend: string;
    };
    expect(result.backend).toBe('wasm');
    // Learning itself is tested in trainFold.test.ts; here, the machinery: pooled AUC with its CI.
    expect(result.metrics.auc.ciLow).toBeLessThan(result.metrics.auc.value);
    expect(result.metrics.auc.ciHigh).toBeGreaterThan(result.metrics.auc.value);
    expect(Object.keys(result.fairness)).toEqual(['sex', 'ageGroup', 'site']);
    expect(Object.keys(result.recovery.precisionAtK)).toEqual(['patientMap', 'controlMap', 'absoluteContrast']);
    expect(await api.runs.result({ runId: result.run })).toEqual(JSON.parse(JSON.stringify(result)));
    expect(core.store.db.prepare('SELECT count(*) AS n FROM predictions WHERE run_id = ?').get(result.run)).toEqual({ n: 100 });

    // The predictions as a table for CSV: every subject once, in fold order, with the run's groups.
    const table = await api.runs.predictionTable({ runId: result.run });
    expect(table.attributes).toEqual(['sex', 'ageGroup', 'site']);
    expect(new Set(table.rows.map((row) => row.subject)).size).toBe(100);
    expect(table.rows.map((row) => row.fold)).toEqual(table.rows.map((row) => row.fold).sort((a, b) => a - b));
    expect([...new Set(table.rows.map((row) => row.fold))]).toEqual([1, 2, 3, 4, 5]);
    expect(
      auc(
        table.rows.map((row) => row.patient),
        table.rows.map((row) => row.patientProbability),
      ),
    ).toBeCloseTo(result.metrics.auc.value, 12);
    for (const [k, attribute] of table.attributes.entries())
      for (const group of result.fairness[attribute]!.groups)
        expect(table.rows.filter((row) => row.groups[k] === group.group)).toHaveLength(group.n);
    const patientLabel = table.rows.find((row) => row.patient === 1)!.diagnosis;
    const controlLabel = table.rows.find((row) => row.patient === 0)!.diagnosis;
    for (const row of table.rows) expect(row.predicted).toBe(row.patientProbability > 0.5 ? patientLabel : controlLabel);
    await expect(api.runs.predictionTable({ runId: 999 })).rejects.toThrow('No finished run with that id.');

    // Confound checks: each subject with a motion or age value, within the controls and the patients.
    const confounds = await api.runs.confounds({ runId: result.run });
    expect(confounds.map((check) => check.variable)).toEqual(['meanFd', 'age', 'timePoints']);
    expect(confounds[0]!.groups.map((group) => group.group)).toEqual(['controls (control)', 'patients (autism)']);
    const withValue = (column: string, path: string) =>
      (
        core.store.db
          .prepare(`SELECT count(*) AS n FROM subjects WHERE cohort_id = ? AND json_type(${column}, '${path}') IN ('real', 'integer')`)
          .get(demo.cohortId) as { n: number }
      ).n;
    const counts = confounds.map((check) => check.groups.reduce((n, group) => n + group.n, 0));
    expect(counts).toEqual([withValue('qc', '$.meanFd'), withValue('phenotype', '$.age'), withValue('qc', '$.timePoints')]);
    expect(counts[0]).toBeGreaterThan(90);
    for (const group of confounds[0]!.groups) {
      expect(group.p).toBeGreaterThan(0);
      expect(group.pHolm).toBeGreaterThanOrEqual(group.p!);
    }
    await expect(api.runs.confounds({ runId: 999 })).rejects.toThrow('No finished run with that id.');

    const cancelled = await api.runs.train({ cohortId: demo.cohortId, protocol: 'kfold5', config: { ...config, epochs: 50 } });
    await sleep(300);
    await api.jobs.cancel({ jobId: cancelled.id });
    expect((await core.jobs.settled(cancelled.id))?.state).toBe('cancelled');
    expect((await api.runs.list()).map((r) => r.status)).toEqual(['done', 'cancelled']);

    const second = await api.runs.train({
      cohortId: demo.cohortId,
      protocol: 'kfold5',
      config: { ...config, variant: 'clip-global', epochs: 2 },
    });
    expect((await core.jobs.settled(second.id))?.state).toBe('done');
    const secondRun = (await api.runs.list()).at(-1)!.id;
    const comparison = await api.runs.compare({ runIds: [result.run, secondRun] });
    expect(comparison.paired).toBe(true);
    expect(comparison.runs.map((r) => r.variant)).toEqual(['neurolip-v1', 'clip-global']);
    expect(comparison.differences[0]!.aucDifference).toBeCloseTo(comparison.runs[1]!.auc! - comparison.runs[0]!.auc!, 12);
    expect(comparison.differences[0]!.foldDifferences).toHaveLength(5);
    await api.runs.delete({ runId: secondRun });

    await api.runs.rename({ runId: result.run, name: 'first' });
    const cancelledRun = (await api.runs.list())[1]!.id;
    await api.runs.delete({ runId: cancelledRun });
    expect((await api.runs.list()).map((r) => [r.name, r.status])).toEqual([['first', 'done']]);
    expect(core.store.db.prepare('SELECT count(*) AS n FROM epochs WHERE run_id = ?').get(cancelledRun)).toEqual({ n: 0 });
    await expect(api.runs.delete({ runId: 999 })).rejects.toThrow('No such run, or it is still running (cancel it first).');
  }, 180_000);

  it('stores every epoch as it ends, with each loss term, and reads them back during and after the run', async () => {
    const core = testCore();
    const api = caller({ core });
    const demo = await importDemoCohort(core.store, { subjects: 60, rois: 20, timePoints: 100, seed: 5 }, { workers: 0 });
    const job = await api.runs.train({
      cohortId: demo.cohortId,
      protocol: 'kfold5',
      config: { variant: 'neurolip', epochs: 3, patience: 3, d: 8, heads: 2, batchSize: 32 },
    });
    const streamed: EpochPoint[] = [];
    let readDuringRun: EpochPoint[] | null = null;
    let runId: number | undefined;
    for await (const event of core.jobs.events(job.id)) {
      if (event.type === 'status') runId ??= event.status.runId;
      if (event.type !== 'epoch') continue;
      streamed.push(event.point);
      if (readDuringRun === null) {
        readDuringRun = await api.runs.epochs({ runId: runId! });
        expect(readDuringRun).toContainEqual(event.point);
      }
    }
    expect(core.jobs.get(job.id)?.state).toBe('done');
    expect(runId).toBe((await api.runs.list())[0]!.id);
    const stored = await api.runs.epochs({ runId: runId! });
    const byFoldAndEpoch = (a: EpochPoint, b: EpochPoint) => a.fold - b.fold || a.epoch - b.epoch;
    expect(stored).toEqual([...streamed].sort(byFoldAndEpoch));
    expect(new Set(stored.map((p) => p.fold))).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(Object.keys(stored[0]!.terms)).toEqual(expect.arrayContaining(['loss', 'L_dx', 'L_sex', 'L_ageGroup', 'L_site', 'L_dis']));
    expect(await api.runs.epochs({ runId: 999 })).toEqual([]);
  }, 180_000);

  it('lists a run whose process died as interrupted, and leaves one whose process lives running', async () => {
    const core = testCore();
    const api = caller({ core });
    const demo = await importDemoCohort(core.store, { subjects: 20, rois: 10, timePoints: 60, seed: 7 }, { workers: 0 });
    const runs = new RunRepository(core.store.db);
    const run = { cohortId: demo.cohortId, variant: 'neurolip', config: {}, backend: 'wasm', versions: {}, seed: 0 };
    const killed = runs.create({ ...run, name: 'killed' });
    const alive = runs.create({ ...run, name: 'alive' });
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    core.store.db.prepare('UPDATE runs SET owner_pid = ? WHERE id = ?').run(deadPid, killed);
    expect((await api.runs.list()).map((r) => [r.id, r.status])).toEqual([
      [killed, 'interrupted'],
      [alive, 'running'],
    ]);
  });

  it('tags runs and refuses an empty tag or an unknown run', async () => {
    const core = testCore();
    const api = caller({ core });
    const demo = await importDemoCohort(core.store, { subjects: 40, rois: 10, timePoints: 60, seed: 6 }, { workers: 0 });
    const job = await api.runs.train({ cohortId: demo.cohortId, protocol: 'kfold5', config: { variant: 'logreg-fc' } });
    const { runId } = (await core.jobs.settled(job.id))!;
    await api.runs.addTag({ runId: runId!, tag: '  baseline ' });
    await api.runs.addTag({ runId: runId!, tag: 'paper' });
    expect((await api.runs.list())[0]!.tags).toEqual(['baseline', 'paper']);
    await api.runs.removeTag({ runId: runId!, tag: 'paper' });
    expect((await api.runs.list())[0]!.tags).toEqual(['baseline']);
    await expect(api.runs.addTag({ runId: runId!, tag: '   ' })).rejects.toThrow('A tag cannot be empty.');
    await expect(api.runs.addTag({ runId: 999, tag: 'x' })).rejects.toThrow('No such run.');
    await expect(api.runs.removeTag({ runId: runId!, tag: 'paper' })).rejects.toThrow(`Run ${runId} has no tag "paper".`);
  }, 60_000);

  it('trains logistic regression on the tangent-space connectivity when asked, and stores which it read', async () => {
    const core = testCore();
    const api = caller({ core });
    const demo = await importDemoCohort(core.store, { subjects: 40, rois: 10, timePoints: 60, seed: 6 }, { workers: 0 });
    const results = [];
    for (const connectomeMeasure of ['correlation', 'tangent'] as const) {
      const job = await api.runs.train({
        cohortId: demo.cohortId,
        protocol: 'kfold5',
        config: { variant: 'logreg-fc', connectomeMeasure },
      });
      const { runId } = (await core.jobs.settled(job.id))!;
      results.push(await api.runs.result({ runId: runId! }));
    }
    const [correlation, tangent] = results;
    expect(correlation!.config!.connectomeMeasure).toBe('correlation');
    expect(tangent!.config!.connectomeMeasure).toBe('tangent');
    expect(tangent!.metrics.auc.value).not.toBe(correlation!.metrics.auc.value);
  }, 60_000);

  /** A cohort of real Caltech subjects (one site): the files whose names start with one of `prefixes`. */
  async function caltechCohort(core: ReturnType<typeof testCore>, prefixes: string[]): Promise<number> {
    const folder = join(tempDir(), 'caltech');
    mkdirSync(folder);
    for (const name of readdirSync(ABIDE.cc200).filter((file) => prefixes.some((prefix) => file.startsWith(prefix))))
      copyFileSync(join(ABIDE.cc200, name), join(folder, name));
    const { cohortId } = await importCohort(core.store, buildImportRequest(ABIDE.phenotype, folder, { name: 'caltech' }), { workers: 0 });
    return cohortId!;
  }

  /** Both the API and runExperiment (the command line's path) refuse the run with `refusal`, and no run is stored. */
  async function expectRefused(core: ReturnType<typeof testCore>, cohortId: number, protocol: 'kfold5' | 'loso', refusal: string) {
    const api = caller({ core });
    await expect(api.runs.train({ cohortId, protocol, config: { variant: 'neurolip' } })).rejects.toThrow(refusal);
    await expect(runExperiment(core.store, { cohortId, protocol, config: TrainConfig.parse({ variant: 'logreg-fc' }) })).rejects.toThrow(
      refusal,
    );
    expect(await api.runs.list()).toEqual([]);
  }

  it('refuses leave-one-site-out on a cohort of one site, before queueing or storing a run', async () => {
    const core = testCore();
    const cohortId = await caltechCohort(core, ['Caltech_0051456', 'Caltech_0051457', 'Caltech_0051476', 'Caltech_0051477']);
    await expectRefused(
      core,
      cohortId,
      'loso',
      'Leave one site out needs subjects from at least two sites, and every subject of this cohort is from CALTECH. Choose stratified 5-fold.',
    );
  });

  it('refuses 5-fold on a cohort with fewer than five subjects of a diagnosis, naming the counts, before storing a run', async () => {
    const core = testCore();
    const autism = ['Caltech_0051456', 'Caltech_0051457', 'Caltech_0051458', 'Caltech_0051459'];
    const controls = ['Caltech_0051476', 'Caltech_0051477', 'Caltech_0051478', 'Caltech_0051479', 'Caltech_0051480'];
    const cohortId = await caltechCohort(core, [...autism, ...controls]);
    await expectRefused(
      core,
      cohortId,
      'kfold5',
      'Stratified 5-fold needs at least 5 subjects of each diagnosis, so that every fold tests both, and this cohort has 4 "autism" and 5 "control". Import more subjects of the smaller group.',
    );
  });

  it('rejects an invalid configuration with the field and the reason', async () => {
    const api = caller({ core: testCore() });
    await expect(api.runs.train({ cohortId: 1, protocol: 'kfold5', config: { dropout: 2, variant: 'bert' } })).rejects.toThrow(
      /^Invalid configuration: variant: Invalid option.*; dropout: Too big/,
    );
  });
});
