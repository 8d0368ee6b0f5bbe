import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/tempDir';
import { resolveVariant, TrainConfig } from '../model/trainConfig';
import { ProjectStore } from '../store/projectStore';
import { RunRepository } from '../store/runRepository';
import { importDemoCohort } from '../synth/demoCohort';
import { SOURCE_FINGERPRINT } from '../sourceFingerprint';
import { findMatchingRun } from './matchingRun';

interface Project {
  db: Database.Database;
  cohortId: number;
  /** Stores a finished run with this configuration (as trained: variant resolved, protocol kfold5 unless given) and versions. */
  finished: (config: Record<string, unknown>, versions?: Record<string, string>) => number;
}

describe('finding a run to reuse or resume', () => {
  const tempDir = useTempDir();

  async function withProject(name: string, body: (project: Project) => void): Promise<void> {
    const store = ProjectStore.open(join(tempDir(), name));
    try {
      const { cohortId } = await importDemoCohort(store, { subjects: 30, rois: 12, timePoints: 60, seed: 1 }, { workers: 0 });
      const runs = new RunRepository(store.db);
      const finished = (config: Record<string, unknown>, versions: Record<string, string> = { source: SOURCE_FINGERPRINT }): number => {
        const id = runs.create({
          cohortId,
          name: String(config.variant),
          variant: String(config.variant),
          config: { protocol: 'kfold5', ...config },
          backend: 'wasm',
          versions,
          seed: Number(config.seed),
        });
        runs.finish(id, 'done');
        return id;
      };
      body({ db: store.db, cohortId, finished });
    } finally {
      store.close();
    }
  }

  it('matches the whole configuration of a network, and only what logistic regression depends on for logreg-fc', async () => {
    await withProject('reuse.neurolip', ({ db, cohortId, finished }) => {
      const network = finished(resolveVariant(TrainConfig.parse({ variant: 'neurolip', d: 16 })));
      const logreg = finished(resolveVariant(TrainConfig.parse({ variant: 'logreg-fc' })));

      expect(findMatchingRun(db, cohortId, TrainConfig.parse({ variant: 'neurolip', d: 16 }), 'kfold5', 'done')).toBe(network);
      expect(
        findMatchingRun(db, cohortId, TrainConfig.parse({ variant: 'neurolip', d: 16, ensemble: 3 }), 'kfold5', 'done'),
      ).toBeUndefined();
      expect(findMatchingRun(db, cohortId, TrainConfig.parse({ variant: 'neurolip', d: 16 }), 'loso', 'done')).toBeUndefined();
      expect(findMatchingRun(db, cohortId, TrainConfig.parse({ variant: 'logreg-fc', d: 32, ensemble: 3 }), 'kfold5', 'done')).toBe(logreg);
      expect(findMatchingRun(db, cohortId, TrainConfig.parse({ variant: 'logreg-fc', seed: 1 }), 'kfold5', 'done')).toBeUndefined();
      expect(
        findMatchingRun(db, cohortId, TrainConfig.parse({ variant: 'logreg-fc', sensitive: ['sex'] }), 'kfold5', 'done'),
      ).toBeUndefined();
      expect(
        findMatchingRun(db, cohortId, TrainConfig.parse({ variant: 'logreg-fc', connectomeMeasure: 'tangent' }), 'kfold5', 'done'),
      ).toBeUndefined();
      expect(
        findMatchingRun(db, cohortId, TrainConfig.parse({ variant: 'logreg-fc', motionAdjustment: true }), 'kfold5', 'done'),
      ).toBeUndefined();
    });
  });

  it('reads a configuration stored before member settings existed as one without them', async () => {
    await withProject('older.neurolip', ({ db, cohortId, finished }) => {
      const plainPair = TrainConfig.parse({ variant: 'neurolip', d: 16, ensemble: 2, memberSettings: [] });
      const { memberSettings, ...older } = resolveVariant(plainPair);
      expect(memberSettings).toEqual([]);
      const id = finished(older);

      expect(findMatchingRun(db, cohortId, plainPair, 'kfold5', 'done')).toBe(id);
      expect(
        findMatchingRun(db, cohortId, TrainConfig.parse({ variant: 'neurolip', d: 16, ensemble: 2 }), 'kfold5', 'done'),
      ).toBeUndefined();
    });
  });

  it('finds an interrupted run to resume apart from a finished one to reuse', async () => {
    await withProject('interrupted.neurolip', ({ db, cohortId, finished }) => {
      const config = TrainConfig.parse({ variant: 'neurolip', d: 16 });
      const killed = finished(resolveVariant(config));
      // What markInterrupted leaves of a run whose process was killed.
      db.prepare("UPDATE runs SET status = 'interrupted' WHERE id = ?").run(killed);
      expect(findMatchingRun(db, cohortId, config, 'kfold5', 'done')).toBeUndefined();
      expect(findMatchingRun(db, cohortId, config, 'kfold5', 'interrupted')).toBe(killed);
      expect(
        findMatchingRun(db, cohortId, TrainConfig.parse({ variant: 'neurolip', d: 16, seed: 1 }), 'kfold5', 'interrupted'),
      ).toBeUndefined();
    });
  });

  it('does not reuse a run that another build of the code trained', async () => {
    await withProject('builds.neurolip', ({ db, cohortId, finished }) => {
      const config = TrainConfig.parse({ variant: 'neurolip', d: 16 });
      const otherBuilds: Record<string, string>[] = [{}, { app: '0.1.0', source: 'another-build' }];
      for (const versions of otherBuilds) finished(resolveVariant(config), versions);
      expect(findMatchingRun(db, cohortId, config, 'kfold5', 'done')).toBeUndefined();
      const id = finished(resolveVariant(config));
      expect(findMatchingRun(db, cohortId, config, 'kfold5', 'done')).toBe(id);
    });
  });
});
