import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/tempDir';
import { TrainConfig } from '../model/trainConfig';
import { ProjectStore } from '../store/projectStore';
import { RunRepository } from '../store/runRepository';
import { importDemoCohort } from '../synth/demoCohort';
import { selectBackend } from '../tf/backend';
import { runExperiment } from './runExperiment';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('interrupting and resuming a run', () => {
  const tempDir = useTempDir();

  it('marks a dead owner interrupted, resumes from the checkpoint and ends with the same numbers', async () => {
    const store = ProjectStore.open(join(tempDir(), 'resume.neurolip'));
    try {
      const demo = await importDemoCohort(store, { subjects: 80, rois: 24, timePoints: 100, seed: 5 }, { workers: 0 });
      const config = TrainConfig.parse({
        variant: 'neurolip',
        epochs: 5,
        patience: 5,
        d: 8,
        heads: 2,
        batchSize: 16,
        weightAveraging: 0.9,
        fairConditioning: 'dx',
        ensemble: 2,
        timeWindow: 0.7,
        refit: true,
      });
      const uninterrupted = await runExperiment(store, { cohortId: demo.cohortId, config, protocol: 'kfold5' });

      const controller = new AbortController();
      let markedWhileRunning = -1;
      const stopped = await runExperiment(
        store,
        { cohortId: demo.cohortId, config, protocol: 'kfold5' },
        {
          signal: controller.signal,
          onProgress: (p) => {
            // Another process (the app, `neurolip runs`) looking for dead runs must leave a live one alone.
            if (p.fold === 0 && p.epoch?.epoch === 1) markedWhileRunning = new RunRepository(store.db).markInterrupted();
            if (p.fold === 1 && p.epoch?.epoch === 2) controller.abort();
          },
        },
      ).catch((error: unknown) => error);
      expect(markedWhileRunning).toBe(0);
      expect((stopped as Error).message).toBe('Cancelled by the user.');
      const runs = new RunRepository(store.db);
      const runId = runs.list().at(-1)!.id;
      expect(runs.doneFolds(runId)).toEqual([0]);
      expect(runs.checkpoint(runId, 1)).toBeDefined();
      // A stored fold's checkpoint is dropped with it (a checkpoint is some 21 MB at the default size).
      expect(runs.checkpoint(runId, 0)).toBeUndefined();

      // A crash leaves the run 'running' with a process id that no longer exists.
      store.db.prepare("UPDATE runs SET status = 'running', owner_pid = 999999999 WHERE id = ?").run(runId);
      expect(runs.markInterrupted()).toBe(1);
      expect(runs.list().at(-1)!.status).toBe('interrupted');

      const reported: { fraction: number; resumedFraction: number }[] = [];
      const resumed = await runExperiment(store, { resume: runId }, { onProgress: (p) => reported.push(p) });
      expect(resumed.run).toBe(runId);
      // Its progress counts the stored fold as done from the start, and says so, and ends at 1.
      expect(reported[0]).toMatchObject({ fraction: 0.2, resumedFraction: 0.2 });
      expect(reported.at(-1)).toMatchObject({ fraction: 1, resumedFraction: 0.2 });
      expect(resumed.folds.map((f) => f.auc)).toEqual(uninterrupted.folds.map((f) => f.auc));
      expect(resumed.metrics).toEqual(uninterrupted.metrics);
      expect(resumed.fairness).toEqual(uninterrupted.fairness);
      expect(resumed.leakage).toEqual(uninterrupted.leakage);
      expect(runs.list().at(-1)!.status).toBe('done');
      expect(store.db.prepare('SELECT COUNT(*) AS n FROM checkpoints WHERE run_id = ?').get(runId)).toEqual({ n: 0 });
      await expect(runExperiment(store, { resume: runId })).rejects.toThrow(
        `Run ${runId} is done; only interrupted, cancelled or failed runs can be resumed.`,
      );
    } finally {
      store.close();
    }
  }, 180_000);
});

describe('leave-one-site-out', () => {
  const tempDir = useTempDir();

  it('tests each site on a model trained on the others, with per-fold CIs', async () => {
    const store = ProjectStore.open(join(tempDir(), 'loso.neurolip'));
    try {
      const demo = await importDemoCohort(store, { subjects: 90, rois: 20, timePoints: 100, seed: 6 }, { workers: 0 });
      const result = await runExperiment(store, {
        cohortId: demo.cohortId,
        config: TrainConfig.parse({ variant: 'neurolip-nofair', epochs: 2, d: 8, heads: 2, batchSize: 16 }),
        protocol: 'loso',
      });
      expect(result.folds.map((f) => f.name)).toEqual(['ALPHA', 'BRAVO', 'CHARLIE', 'DELTA', 'ECHO', 'FOXTROT']);
      expect(result.folds.reduce((n, f) => n + f.test, 0)).toBe(90);
      for (const fold of result.folds) expect(fold.train + fold.test).toBe(90);
      expect(result.folds[0]!.metrics.auc.ciLow).toBeLessThanOrEqual(result.folds[0]!.metrics.auc.value);
    } finally {
      store.close();
    }
  }, 120_000);
});
