import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/tempDir';
import { resolveVariant, TrainConfig } from '../model/trainConfig';
import { ProjectStore } from '../store/projectStore';
import { RunRepository } from '../store/runRepository';
import { importDemoCohort } from '../synth/demoCohort';
import { SOURCE_FINGERPRINT } from '../sourceFingerprint';
import { findFinishedRun } from './finishedRun';

describe('finding a finished run to reuse', () => {
  const tempDir = useTempDir();

  it('matches the whole configuration of a network, and only what logistic regression depends on for logreg-fc', async () => {
    const store = ProjectStore.open(join(tempDir(), 'reuse.neurolip'));
    try {
      const { cohortId } = await importDemoCohort(store, { subjects: 30, rois: 12, timePoints: 60, seed: 1 }, { workers: 0 });
      const runs = new RunRepository(store.db);
      const finished = (config: TrainConfig): number => {
        const id = runs.create({
          cohortId,
          name: config.variant,
          variant: config.variant,
          config: { ...resolveVariant(config), protocol: 'kfold5' },
          backend: 'wasm',
          versions: { source: SOURCE_FINGERPRINT },
          seed: config.seed,
        });
        runs.finish(id, 'done');
        return id;
      };
      const network = finished(TrainConfig.parse({ variant: 'neurolip', d: 16 }));
      const logreg = finished(TrainConfig.parse({ variant: 'logreg-fc' }));

      expect(findFinishedRun(store.db, cohortId, TrainConfig.parse({ variant: 'neurolip', d: 16 }), 'kfold5')).toBe(network);
      expect(findFinishedRun(store.db, cohortId, TrainConfig.parse({ variant: 'neurolip', d: 16, ensemble: 3 }), 'kfold5')).toBeUndefined();
      expect(findFinishedRun(store.db, cohortId, TrainConfig.parse({ variant: 'neurolip', d: 16 }), 'loso')).toBeUndefined();
      expect(findFinishedRun(store.db, cohortId, TrainConfig.parse({ variant: 'logreg-fc', d: 32, ensemble: 3 }), 'kfold5')).toBe(logreg);
      expect(findFinishedRun(store.db, cohortId, TrainConfig.parse({ variant: 'logreg-fc', seed: 1 }), 'kfold5')).toBeUndefined();
      expect(
        findFinishedRun(store.db, cohortId, TrainConfig.parse({ variant: 'logreg-fc', sensitive: ['sex'] }), 'kfold5'),
      ).toBeUndefined();
    } finally {
      store.close();
    }
  });

  it('reads a configuration stored before member settings existed as one without them', async () => {
    const store = ProjectStore.open(join(tempDir(), 'older.neurolip'));
    try {
      const { cohortId } = await importDemoCohort(store, { subjects: 30, rois: 12, timePoints: 60, seed: 1 }, { workers: 0 });
      const runs = new RunRepository(store.db);
      const plainPair = TrainConfig.parse({ variant: 'neurolip', d: 16, ensemble: 2, memberSettings: [] });
      const { memberSettings, ...older } = { ...resolveVariant(plainPair), protocol: 'kfold5' };
      expect(memberSettings).toEqual([]);
      const id = runs.create({
        cohortId,
        name: 'older',
        variant: 'neurolip',
        config: older,
        backend: 'wasm',
        versions: { source: SOURCE_FINGERPRINT },
        seed: 0,
      });
      runs.finish(id, 'done');

      expect(findFinishedRun(store.db, cohortId, plainPair, 'kfold5')).toBe(id);
      expect(findFinishedRun(store.db, cohortId, TrainConfig.parse({ variant: 'neurolip', d: 16, ensemble: 2 }), 'kfold5')).toBeUndefined();
    } finally {
      store.close();
    }
  });

  it('does not reuse a run that another build of the code trained', async () => {
    const store = ProjectStore.open(join(tempDir(), 'builds.neurolip'));
    try {
      const { cohortId } = await importDemoCohort(store, { subjects: 30, rois: 12, timePoints: 60, seed: 1 }, { workers: 0 });
      const runs = new RunRepository(store.db);
      const config = TrainConfig.parse({ variant: 'neurolip', d: 16 });
      const stored = { ...resolveVariant(config), protocol: 'kfold5' };
      for (const versions of [{}, { app: '0.1.0', source: 'another-build' }]) {
        const id = runs.create({ cohortId, name: 'older build', variant: 'neurolip', config: stored, backend: 'wasm', versions, seed: 0 });
        runs.finish(id, 'done');
      }
      expect(findFinishedRun(store.db, cohortId, config, 'kfold5')).toBeUndefined();
      const id = runs.create({
        cohortId,
        name: 'this build',
        variant: 'neurolip',
        config: stored,
        backend: 'wasm',
        versions: { source: SOURCE_FINGERPRINT },
        seed: 0,
      });
      runs.finish(id, 'done');
      expect(findFinishedRun(store.db, cohortId, config, 'kfold5')).toBe(id);
    } finally {
      store.close();
    }
  });
});
