import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/tempDir';
import { resolveVariant, TrainConfig } from '../model/trainConfig';
import { ProjectStore } from '../store/projectStore';
import { RunRepository } from '../store/runRepository';
import { importDemoCohort } from '../synth/demoCohort';
import { SOURCE_FINGERPRINT } from '../sourceFingerprint';
import { findFinishedRun } from './finishedRun';

interface Project {
  db: Database.Database;
  cohortId: number;
  /** Stores a finished run with this configuration (as trained: variant resolved, protocol kfold5 unless given) and versions. */
  finished: (config: Record<string, unknown>, versions?: Record<string, string>) => number;
}

describe('finding a finished run to reuse', () => {
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

      expect(findFinishedRun(db, cohortId, TrainConfig.parse({ variant: 'neurolip', d: 16 }), 'kfold5')).toBe(network);
      expect(findFinishedRun(db, cohortId, TrainConfig.parse({ variant: 'neurolip', d: 16, ensemble: 3 }), 'kfold5')).toBeUndefined();
      expect(findFinishedRun(db, cohortId, TrainConfig.parse({ variant: 'neurolip', d: 16 }), 'loso')).toBeUndefined();
      expect(findFinishedRun(db, cohortId, TrainConfig.parse({ variant: 'logreg-fc', d: 32, ensemble: 3 }), 'kfold5')).toBe(logreg);
      expect(findFinishedRun(db, cohortId, TrainConfig.parse({ variant: 'logreg-fc', seed: 1 }), 'kfold5')).toBeUndefined();
      expect(findFinishedRun(db, cohortId, TrainConfig.parse({ variant: 'logreg-fc', sensitive: ['sex'] }), 'kfold5')).toBeUndefined();
      expect(
        findFinishedRun(db, cohortId, TrainConfig.parse({ variant: 'logreg-fc', connectomeMeasure: 'tangent' }), 'kfold5'),
      ).toBeUndefined();
    });
  });

  it('reads a configuration stored before member settings existed as one without them', async () => {
    await withProject('older.neurolip', ({ db, cohortId, finished }) => {
      const plainPair = TrainConfig.parse({ variant: 'neurolip', d: 16, ensemble: 2, memberSettings: [] });
      const { memberSettings, ...older } = resolveVariant(plainPair);
      expect(memberSettings).toEqual([]);
      const id = finished(older);

      expect(findFinishedRun(db, cohortId, plainPair, 'kfold5')).toBe(id);
      expect(findFinishedRun(db, cohortId, TrainConfig.parse({ variant: 'neurolip', d: 16, ensemble: 2 }), 'kfold5')).toBeUndefined();
    });
  });

  it('does not reuse a run that another build of the code trained', async () => {
    await withProject('builds.neurolip', ({ db, cohortId, finished }) => {
      const config = TrainConfig.parse({ variant: 'neurolip', d: 16 });
      const otherBuilds: Record<string, string>[] = [{}, { app: '0.1.0', source: 'another-build' }];
      for (const versions of otherBuilds) finished(resolveVariant(config), versions);
      expect(findFinishedRun(db, cohortId, config, 'kfold5')).toBeUndefined();
      const id = finished(resolveVariant(config));
      expect(findFinishedRun(db, cohortId, config, 'kfold5')).toBe(id);
    });
  });
});
