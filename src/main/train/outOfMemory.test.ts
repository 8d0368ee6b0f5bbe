import { beforeAll, describe, expect, it } from 'vitest';
import { useTestCore } from '../../test-support/testCore';
import { createCallerFactory } from '../api/trpc';
import { appRouter } from '../api/router';
import { isOutOfMemory, trainingStepBytes } from '../model/memoryEstimate';
import * as tf from '../model/tf';
import { TrainConfig } from '../model/trainConfig';
import { importDemoCohort } from '../synth/demoCohort';
import { selectBackend } from '../tf/backend';

const caller = createCallerFactory(appRouter);

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('a model too large for memory', () => {
  const testCore = useTestCore();

  it('fails the run cleanly before anything is stored, and the app goes on training', async () => {
    const core = testCore();
    const api = caller({ core });
    const demo = await importDemoCohort(core.store, { subjects: 100, rois: 116, timePoints: 100, seed: 6 }, { workers: 0 });
    const absurd = { variant: 'neurolip', batchSize: 4096, d: 512, heads: 16, layers: 8, epochs: 1 };
    const failed = await core.jobs.settled((await api.runs.train({ cohortId: demo.cohortId, protocol: 'kfold5', config: absurd })).id);
    expect(failed!.state).toBe('failed');
    expect(failed!.error).toMatch(
      /^This configuration needs about \d+\.\d GiB for one training step \(batch 100 × 116 ROIs, 8 layers of width 512 with 16 heads\); TensorFlow\.js on the wasm back end can use about 2\.0 GiB\. Lower the batch size, d, heads or layers\.$/,
    );
    expect(await api.runs.list()).toEqual([]);

    const sane = await core.jobs.settled(
      (
        await api.runs.train({
          cohortId: demo.cohortId,
          protocol: 'kfold5',
          config: { variant: 'neurolip-v1', epochs: 1, d: 8, heads: 2, batchSize: 32 },
        })
      ).id,
    );
    expect(sane!.state, sane!.error ?? '').toBe('done');
    expect((await api.runs.list()).map((run) => run.status)).toEqual(['done']);
  }, 120_000);

  it('lets the default and the v1 configurations through with room to spare', () => {
    for (const variant of ['neurolip', 'neurolip-v1'] as const) {
      expect(trainingStepBytes(TrainConfig.parse({ variant }), 64, 200)).toBeLessThan(512 * 1024 ** 2);
    }
  });

  it('recognises a real allocation failure of the wasm back end', () => {
    // 2^30 float32 values (4 GiB) is more than wasm32 memory can hold.
    let failure: unknown;
    try {
      tf.tidy(() => tf.add(tf.zeros([2 ** 30]), 1));
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(Error);
    expect(isOutOfMemory(failure)).toBe(true);
    expect(isOutOfMemory(new Error('Invalid configuration: epochs: Too small'))).toBe(false);
  });
});
