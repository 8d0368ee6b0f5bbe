import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableCounts } from '../../test-support/projectCounts';
import { useTempDir } from '../../test-support/tempDir';
import { TrainConfig } from '../model/trainConfig';
import { demoCohortName, importDemoCohort } from '../synth/demoCohort';
import { selectBackend } from '../tf/backend';
import { runExperiment } from '../train/runExperiment';
import { CohortRepository } from './cohortRepository';
import { ProjectStore } from './projectStore';
import { RunRepository } from './runRepository';
import { ProjectWriteError } from './writeFailure';

/**
 * A full disk, simulated with SQLite's `PRAGMA max_page_count` on the store's own connection: the
 * project cannot grow beyond the pages it has, so the next write that needs a page fails with
 * SQLITE_FULL exactly as it would on a full disk. No test-only option is needed in the store.
 */
function fillDisk(store: ProjectStore, sparePages: number): void {
  const pages = store.db.pragma('page_count', { simple: true }) as number;
  store.db.pragma(`max_page_count = ${pages + sparePages}`);
}

function freeDisk(store: ProjectStore): void {
  store.db.pragma('max_page_count = 1073741823');
}

const small = (seed: number) => ({ subjects: 40, rois: 24, timePoints: 100, seed });

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('a full disk', () => {
  const tempDir = useTempDir();

  it('refuses an import as a whole with a clear error, keeps the earlier cohort, and imports once there is space', async () => {
    const store = ProjectStore.open(join(tempDir(), 'full.neurolip'));
    try {
      await importDemoCohort(store, small(1), { workers: 0 });
      const before = tableCounts(store.db);
      fillDisk(store, 2);
      const error = await importDemoCohort(store, small(2), { workers: 0 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProjectWriteError);
      expect((error as Error).message).toBe(
        `Could not write the cohort "${demoCohortName(small(2))}" to ${store.path}: the disk is full (or the project reached its size limit). Nothing of it was kept, and everything stored before is intact. Free some space and try again.`,
      );
      expect(tableCounts(store.db)).toEqual(before);
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');

      freeDisk(store);
      await importDemoCohort(store, small(2), { workers: 0 });
      expect(new CohortRepository(store.db).list().map((c) => [c.name, c.subjects])).toEqual([
        [demoCohortName(small(1)), 40],
        [demoCohortName(small(2)), 40],
      ]);
    } finally {
      store.close();
    }
  }, 60_000);

  it('fails a run whose results do not fit, keeps what was stored, and the run resumes to the same numbers', async () => {
    const store = ProjectStore.open(join(tempDir(), 'full-results.neurolip'));
    try {
      const demo = await importDemoCohort(store, { ...small(3), subjects: 60 }, { workers: 0 });
      const config = TrainConfig.parse({ variant: 'logreg-fc' });
      const reference = await runExperiment(store, { cohortId: demo.cohortId, config, protocol: 'kfold5' });
      const runs = new RunRepository(store.db);
      const storedReference = runs.summary(reference.run);

      fillDisk(store, 1);
      const error = await runExperiment(store, { cohortId: demo.cohortId, config, protocol: 'kfold5' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProjectWriteError);
      expect((error as Error).message).toMatch(
        new RegExp(`^Could not write the run's results to ${store.path}: the disk is full \\(or the project reached its size limit\\)\\.`),
      );
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(runs.summary(reference.run)).toEqual(storedReference);
      const failed = runs.list().at(-1)!;
      expect(failed.id).not.toBe(reference.run);
      expect(failed.status).toBe('failed');
      expect(failed.error).toBe((error as Error).message);
      expect(runs.config(failed.id)?.status).toBe('failed');

      freeDisk(store);
      const resumed = await runExperiment(store, { resume: failed.id });
      expect(resumed.metrics).toEqual(reference.metrics);
      expect(resumed.folds.map((f) => f.auc)).toEqual(reference.folds.map((f) => f.auc));
    } finally {
      store.close();
    }
  }, 120_000);
});
