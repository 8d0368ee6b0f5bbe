import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/tempDir';
import { stratifiedKFold, validationSplit } from '../eval/folds';
import { auc } from '../eval/metrics';
import { fitL2Logistic } from '../model/l2Logistic';
import * as tf from '../model/tf';
import { resolveVariant, TrainConfig } from '../model/trainConfig';
import { ProjectStore } from '../store/projectStore';
import { importDemoCohort } from '../synth/demoCohort';
import { selectBackend } from '../tf/backend';
import { loadCohortData, type CohortData } from './cohortData';
import { earlyStoppingSplit } from './earlyStoppingSplit';
import { FoldInputs } from './foldInputs';
import { decodeCheckpoint, encodeCheckpoint } from './checkpointCodec';
import { trainFold, type FoldCheckpoint } from './trainFold';

beforeAll(async () => {
  await selectBackend('wasm');
});

/** The first of three stratified folds: its test subjects, and its training subjects with a fifth held out for early stopping. */
function firstFoldSplit(data: CohortData): { fit: number[]; validation: number[]; test: number[] } {
  const fold = stratifiedKFold(Array.from(data.dx, String), 3, 0)[0]!;
  return { ...earlyStoppingSplit(data, fold.train, 0.2, 0), test: fold.test };
}

/** Opens a project, imports a demo cohort into it, and runs `use` on it; the project is closed after. */
async function withDemo(
  file: string,
  options: Parameters<typeof importDemoCohort>[1],
  use: (demo: { store: ProjectStore; data: CohortData; cohortId: number }) => Promise<void>,
): Promise<void> {
  const store = ProjectStore.open(file);
  try {
    const { cohortId } = await importDemoCohort(store, options, { workers: 0 });
    await use({ store, data: loadCohortData(store.db, cohortId), cohortId });
  } finally {
    store.close();
  }
}

/** Trains a fold, keeping every checkpoint as it comes back through the codec (as a stored one does); checks no tensor leaked. */
async function trainWithCheckpoints(
  data: CohortData,
  split: Parameters<typeof trainFold>[1],
  config: Parameters<typeof trainFold>[2],
): Promise<{ outcome: Awaited<ReturnType<typeof trainFold>>; checkpoints: FoldCheckpoint[] }> {
  const checkpoints: FoldCheckpoint[] = [];
  const before = tf.memory().numTensors;
  const outcome = await trainFold(data, split, config, {
    onCheckpoint: (checkpoint) => {
      const stored = encodeCheckpoint(checkpoint);
      checkpoints.push(decodeCheckpoint(stored.weights, stored.state));
    },
  });
  expect(tf.memory().numTensors).toBe(before);
  return { outcome, checkpoints };
}

describe('training one fold', () => {
  const tempDir = useTempDir();

  it('learns the synthetic diagnosis signal, without leaking tensors', async () => {
    await withDemo(join(tempDir(), 'train.neurolip'), { subjects: 160, rois: 40, timePoints: 150, seed: 2 }, async ({ data }) => {
      const strata = Array.from(data.dx, (d, i) => `${d}|${data.attributes.site![i]}`);
      const fold = stratifiedKFold(strata, 4, 0)[0]!;
      const { fit, validation } = validationSplit(fold.train, strata, Array.from(data.dx, String), 0.1, 0);
      const config = resolveVariant(TrainConfig.parse({ variant: 'neurolip-v1', epochs: 12, patience: 12, d: 16, batchSize: 32 }));
      const before = tf.memory().numTensors;
      const started = performance.now();
      const outcome = await trainFold(data, { fit, validation, test: fold.test }, config);
      console.log(
        `12 epochs in ${((performance.now() - started) / 1000).toFixed(1)} s; losses`,
        outcome.history.map((h) => h.terms.loss!.toFixed(3)).join(' '),
        'val',
        outcome.history.map((h) => h.valAuc.toFixed(2)).join(' '),
      );
      expect(tf.memory().numTensors).toBe(before);
      const testAuc = auc(
        fold.test.map((i) => data.dx[i]!),
        outcome.test.probability,
      );
      console.log('test AUC', testAuc, 'terms', outcome.history.at(-1)!.terms);
      expect(outcome.history.at(-1)!.terms.loss).toBeLessThan(outcome.history[0]!.terms.loss!);
      expect(testAuc).toBeGreaterThan(0.6);
    });
  }, 120_000);

  it('trains every epoch and keeps the last when the validation subjects have one diagnosis only (no AUC)', async () => {
    await withDemo(join(tempDir(), 'oneclass.neurolip'), { subjects: 60, rois: 12, timePoints: 80, seed: 3 }, async ({ data }) => {
      const strata = Array.from(data.dx, String);
      const fold = stratifiedKFold(strata, 3, 0)[0]!;
      const validation = fold.train.filter((i) => data.dx[i] === 0).slice(0, 3);
      const fit = fold.train.filter((i) => !validation.includes(i));
      const config = resolveVariant(
        TrainConfig.parse({ variant: 'neurolip-nofair', epochs: 3, patience: 1, d: 8, heads: 2, batchSize: 16 }),
      );
      const outcome = await trainFold(data, { fit, validation, test: fold.test }, config);
      expect(outcome.history.map((h) => h.valAuc)).toEqual([Number.NaN, Number.NaN, Number.NaN]);
      expect(outcome.bestEpoch).toBe(2);
      expect(outcome.test.probability.every(Number.isFinite)).toBe(true);
    });
  }, 60_000);

  it('refuses time-window augmentation for a cohort without time series, and with covariate adjustment', async () => {
    await withDemo(
      join(tempDir(), 'windows.neurolip'),
      { subjects: 30, rois: 12, timePoints: 60, seed: 4 },
      async ({ store, cohortId }) => {
        expect(loadCohortData(store.db, cohortId, { timeSeries: true }).series!.every((one) => one?.timePoints === 60)).toBe(true);
        store.db.prepare('DELETE FROM timeseries').run();
        expect(() => loadCohortData(store.db, cohortId, { timeSeries: true })).toThrow(
          /^Cohort "Demo \(synthetic, seed 4, [^"]*" has no ROI time series \(it was imported as connectivity matrices\), so its connectivity cannot be recomputed from time windows/,
        );
        expect(loadCohortData(store.db, cohortId).series).toBeUndefined();
        const refused = TrainConfig.safeParse({ timeWindow: 0.8, covariateAdjustment: 'site' });
        expect(refused.success).toBe(false);
        expect(refused.error!.issues[0]).toMatchObject({ path: ['timeWindow'], message: expect.stringMatching(/covariate adjustment/) });
      },
    );
  }, 60_000);

  it('checkpoints after the first epoch, then only once checkpointSeconds have passed, and waits for each', async () => {
    await withDemo(join(tempDir(), 'checkpoints.neurolip'), { subjects: 40, rois: 12, timePoints: 60, seed: 6 }, async ({ data }) => {
      const strata = Array.from(data.dx, String);
      const fold = stratifiedKFold(strata, 3, 0)[0]!;
      const { fit, validation } = validationSplit(fold.train, strata, strata, 0.2, 0);
      const config = resolveVariant(TrainConfig.parse({ variant: 'neurolip', epochs: 4, patience: 4, d: 8, heads: 2, batchSize: 16 }));
      const epochsOf = async (checkpointSeconds?: number): Promise<number[]> => {
        const saved: number[] = [];
        await trainFold(data, { fit, validation, test: fold.test }, config, {
          onCheckpoint: (checkpoint) => {
            saved.push(checkpoint.epoch);
          },
          checkpointSeconds,
        });
        return saved;
      };
      expect(await epochsOf()).toEqual([1, 2, 3, 4]);
      expect(await epochsOf(3600)).toEqual([1]);
      // Training waits for a checkpoint's promise (a trainer process: until the message has left it).
      const events: string[] = [];
      await trainFold(data, { fit, validation, test: fold.test }, config, {
        onEpoch: (record) => events.push(`epoch ${record.epoch}`),
        onCheckpoint: async (checkpoint) => {
          events.push(`checkpoint ${checkpoint.epoch}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
          events.push(`sent ${checkpoint.epoch}`);
        },
      });
      expect(events.slice(0, 6)).toEqual(['epoch 0', 'checkpoint 1', 'sent 1', 'epoch 1', 'checkpoint 2', 'sent 2']);
    });
  }, 60_000);

  it('trains only the connectome token during its warm-up, then every weight, and stops on a later epoch', async () => {
    await withDemo(join(tempDir(), 'warmup.neurolip'), { subjects: 40, rois: 12, timePoints: 60, seed: 6 }, async ({ data }) => {
      const strata = Array.from(data.dx, String);
      const fold = stratifiedKFold(strata, 3, 0)[0]!;
      const { fit, validation } = validationSplit(fold.train, strata, strata, 0.2, 0);
      const edgeWeights = ((12 * 11) / 2) * 8;
      const config = resolveVariant(
        TrainConfig.parse({
          variant: 'neurolip',
          ensemble: 1,
          epochs: 5,
          patience: 1,
          d: 8,
          heads: 2,
          batchSize: 16,
          connectomeReadout: 'logit',
          connectomeOptimiser: 'sgd',
          connectomePenalty: 1,
          connectomeWarmup: 3,
        }),
      );
      const snapshots: Float32Array[][] = [];
      const before = tf.memory().numTensors;
      const outcome = await trainFold(data, { fit, validation, test: fold.test }, config, {
        onCheckpoint: (checkpoint) => {
          snapshots.push(checkpoint.weights.map((w) => Float32Array.from(w)));
        },
      });
      expect(tf.memory().numTensors).toBe(before);
      const changed = (a: Float32Array[], b: Float32Array[]) => a.flatMap((w, i) => (w.some((v, k) => v !== b[i]![k]) ? [w.length] : []));
      // Epochs 2 and 3 are in the warm-up: only the connectome token's weights and bias move.
      expect(changed(snapshots[0]!, snapshots[1]!)).toEqual([edgeWeights, 8]);
      expect(changed(snapshots[1]!, snapshots[2]!)).toEqual([edgeWeights, 8]);
      expect(changed(snapshots[2]!, snapshots[3]!).length).toBeGreaterThan(10);
      // Patience 1 would stop during the warm-up; its epochs never count as best.
      expect(outcome.history).toHaveLength(5);
      expect(outcome.bestEpoch).toBeGreaterThanOrEqual(3);
      expect(outcome.test.probability.every(Number.isFinite)).toBe(true);
      for (const [settings, wrong] of [
        [{ connectomeWarmup: 3, globalToken: false, ensemble: 1 }, /needs the token/],
        [{ connectomeWarmup: 60, epochs: 60, ensemble: 1 }, /shorter than the training/],
      ] as const) {
        const refused = TrainConfig.safeParse(settings);
        expect(refused.error!.issues[0]).toMatchObject({ path: ['connectomeWarmup'], message: expect.stringMatching(wrong) });
      }
    });
  }, 60_000);

  it('refits on the training and validation subjects for the chosen number of epochs, deterministically', async () => {
    await withDemo(join(tempDir(), 'refit.neurolip'), { subjects: 60, rois: 12, timePoints: 60, seed: 7 }, async ({ data }) => {
      const strata = Array.from(data.dx, String);
      const fold = stratifiedKFold(strata, 3, 0)[0]!;
      const split = { ...validationSplit(fold.train, strata, strata, 0.2, 0), test: fold.test };
      const settings = { variant: 'neurolip', epochs: 4, patience: 4, d: 8, heads: 2, batchSize: 16 };
      const plain = await trainFold(data, split, resolveVariant(TrainConfig.parse(settings)));
      const before = tf.memory().numTensors;
      const refit = resolveVariant(TrainConfig.parse({ ...settings, refit: true }));
      const first = await trainFold(data, split, refit);
      expect(tf.memory().numTensors).toBe(before);
      const again = await trainFold(data, split, refit);
      // Early stopping is the same run; only the predicting model differs.
      expect(first.bestEpoch).toBe(plain.bestEpoch);
      expect(first.history).toEqual(plain.history.map((h) => ({ ...h, seconds: expect.any(Number) })));
      expect(Array.from(first.test.probability)).not.toEqual(Array.from(plain.test.probability));
      expect(Array.from(again.test.probability)).toEqual(Array.from(first.test.probability));
      expect(first.trainEmbedding.length).toBe(plain.trainEmbedding.length);
      // The refit model erases sex (the default) with an eraser of its own, fitted on all its subjects.
      expect(refit.erasedAttributes).toEqual(['sex']);
      const unerased = await trainFold(data, split, resolveVariant(TrainConfig.parse({ ...settings, refit: true, erasedAttributes: [] })));
      expect(Array.from(unerased.test.probability)).not.toEqual(Array.from(first.test.probability));
    });
  }, 60_000);

  it("fits a member's readout first on that member's training subjects, never moves it, and resumes to the same numbers", async () => {
    await withDemo(join(tempDir(), 'fitted.neurolip'), { subjects: 60, rois: 12, timePoints: 60, seed: 9 }, async ({ data }) => {
      const split = firstFoldSplit(data);
      const config = resolveVariant(
        TrainConfig.parse({
          variant: 'neurolip',
          epochs: 4,
          patience: 4,
          d: 8,
          heads: 2,
          batchSize: 16,
          memberSettings: [{}, { connectomeReadout: 'logit', connectomeOptimiser: 'converged', connectomePenalty: 3, learningRate: 1e-4 }],
        }),
      );
      expect(config.memberValidation).toBe('separate');
      const inputs = new FoldInputs(data, split.fit, config);
      const x = inputs.batch(split.fit);
      const xT = tf.transpose(x.edges!);
      const expected = fitL2Logistic(
        x.edges!,
        xT,
        Array.from(split.fit, (i) => data.dx[i]!),
        1 / (3 * split.fit.length),
      );
      tf.dispose([x.fc, x.edges!, xT]);
      const { outcome, checkpoints } = await trainWithCheckpoints(data, split, config);
      const edges = (12 * 11) / 2;
      const readoutAt = checkpoints[0]!.weights.findIndex(
        (w) => w.length === edges && w.every((v, k) => Math.abs(v - expected.w[k]!) < 1e-6),
      );
      expect(readoutAt).toBeGreaterThan(0);
      expect(Math.max(...Array.from(expected.w, Math.abs))).toBeGreaterThan(1e-3);
      for (const checkpoint of checkpoints) {
        expect(checkpoint.weights[readoutAt]).toEqual(checkpoints[0]!.weights[readoutAt]);
        expect(checkpoint.weights[readoutAt + 1]![0]).toBeCloseTo(expected.b, 6);
      }
      const resumed = await trainFold(data, split, config, { resume: checkpoints[1]! });
      expect(Array.from(resumed.test.probability)).toEqual(Array.from(outcome.test.probability));
    });
  }, 60_000);

  it("with pathway centring, a readout fitted first sets where the training subjects' logits sit on average, and only then", async () => {
    await withDemo(join(tempDir(), 'pathway.neurolip'), { subjects: 60, rois: 12, timePoints: 60, seed: 9 }, async ({ data }) => {
      const split = firstFoldSplit(data);
      // The training subjects are predicted too, so that their mean logit can be compared with the readout's.
      const seen = { ...split, test: split.fit };
      const config = resolveVariant(
        TrainConfig.parse({
          variant: 'neurolip',
          ensemble: 1,
          memberSettings: [],
          connectomeReadout: 'logit',
          connectomeOptimiser: 'converged',
          connectomePenalty: 3,
          readoutOffsets: [],
          epochs: 3,
          patience: 3,
          d: 8,
          heads: 2,
          batchSize: 16,
          pathwayCentring: true,
        }),
      );
      const inputs = new FoldInputs(data, split.fit, config);
      const x = inputs.batch(split.fit);
      const xT = tf.transpose(x.edges!);
      const { w, b } = fitL2Logistic(
        x.edges!,
        xT,
        Array.from(split.fit, (i) => data.dx[i]!),
        1 / (3 * split.fit.length),
      );
      const readout = Array.from(x.edges!.arraySync(), (row) => row.reduce((sum, v, k) => sum + v * w[k]!, b));
      tf.dispose([x.fc, x.edges!, xT]);
      const pathwayMean = (probability: Float32Array): number =>
        probability.reduce((sum, p, i) => sum + Math.log(p / (1 - p)) - readout[i]!, 0) / probability.length;
      const { outcome, checkpoints } = await trainWithCheckpoints(data, seen, config);
      expect(pathwayMean(outcome.test.probability)).toBeCloseTo(0, 4);
      const plain = await trainFold(data, seen, { ...config, pathwayCentring: false });
      expect(Math.abs(pathwayMean(plain.test.probability))).toBeGreaterThan(0.01);
      const resumed = await trainFold(data, seen, config, { resume: checkpoints[1]! });
      expect(Array.from(resumed.test.probability)).toEqual(Array.from(outcome.test.probability));
    });
  }, 60_000);

  it("centres a held-out site's patient log-odds on the training subjects' share when the run offsets per site, and only then", async () => {
    await withDemo(join(tempDir(), 'unseen.neurolip'), { subjects: 60, rois: 12, timePoints: 60, seed: 9 }, async ({ data }) => {
      const sites = data.attributes.site!;
      const held = sites[0];
      const everyone = data.subjectIds.map((_, i) => i);
      const test = everyone.filter((i) => sites[i] === held);
      const split = {
        ...earlyStoppingSplit(
          data,
          everyone.filter((i) => sites[i] !== held),
          0.2,
          0,
        ),
        test,
      };
      expect(test.length).toBeGreaterThanOrEqual(5);
      const training = [...split.fit, ...split.validation];
      const share = training.reduce((sum, i) => sum + data.dx[i]!, 0) / training.length;
      const logOdds = (p: number): number => Math.log(p / (1 - p));
      const meanLogOdds = (probability: Float32Array): number => probability.reduce((sum, p) => sum + logOdds(p), 0) / probability.length;
      const config = resolveVariant(TrainConfig.parse({ variant: 'neurolip', epochs: 2, patience: 2, d: 8, heads: 2, batchSize: 16 }));
      expect(config.readoutOffsets).toContain('site');
      const centred = await trainFold(data, split, config);
      expect(meanLogOdds(centred.test.probability)).toBeCloseTo(logOdds(share), 4);
      const plain = await trainFold(data, split, { ...config, readoutOffsets: config.readoutOffsets.filter((name) => name !== 'site') });
      expect(Math.abs(meanLogOdds(plain.test.probability) - logOdds(share))).toBeGreaterThan(0.01);
    });
  }, 60_000);

  it.each(['training', 'discriminant'] as const)(
    'with embeddingPenaltyEstimate %s, pushes against directions from the training subjects, recomputed each epoch, and resumes to the same numbers',
    async (estimate) => {
      await withDemo(join(tempDir(), `${estimate}.neurolip`), { subjects: 60, rois: 12, timePoints: 60, seed: 9 }, async ({ data }) => {
        const split = firstFoldSplit(data);
        const config = resolveVariant(
          TrainConfig.parse({
            variant: 'neurolip',
            ensemble: 1,
            epochs: 3,
            patience: 3,
            d: 8,
            heads: 2,
            batchSize: 16,
            embeddingPenaltyEstimate: estimate,
          }),
        );
        expect(config.embeddingPenalty).toBeGreaterThan(0);
        const { outcome, checkpoints } = await trainWithCheckpoints(data, split, config);
        const terms = outcome.history.map((record) => record.terms.L_embedding);
        expect(terms).toHaveLength(3);
        for (const term of terms) expect(Number.isFinite(term)).toBe(true);
        // A projection on directions from the training subjects lacks the floor a batch's squared gaps have from sampling alone.
        const batchTerms = (await trainFold(data, split, { ...config, embeddingPenaltyEstimate: 'batch' })).history.map(
          (r) => r.terms.L_embedding!,
        );
        terms.forEach((term, epoch) => expect(term).toBeLessThan(batchTerms[epoch]!));
        const resumed = await trainFold(data, split, config, { resume: checkpoints[1]! });
        expect(Array.from(resumed.test.probability)).toEqual(Array.from(outcome.test.probability));
      });
    },
    60_000,
  );

  it('with a direction penalty beside the batch estimate, reports both terms every epoch and resumes to the same numbers', async () => {
    await withDemo(join(tempDir(), 'direction.neurolip'), { subjects: 60, rois: 12, timePoints: 60, seed: 9 }, async ({ data }) => {
      const split = firstFoldSplit(data);
      const settings = { variant: 'neurolip', ensemble: 1, epochs: 3, patience: 3, d: 8, heads: 2, batchSize: 16 };
      const config = resolveVariant(TrainConfig.parse({ ...settings, directionPenalty: 5 }));
      const { outcome, checkpoints } = await trainWithCheckpoints(data, split, config);
      expect(outcome.history).toHaveLength(3);
      for (const { terms } of outcome.history) {
        expect(terms.L_embedding).toBeGreaterThan(0);
        expect(Number.isFinite(terms.L_direction)).toBe(true);
      }
      const without = await trainFold(data, split, resolveVariant(TrainConfig.parse(settings)));
      expect(without.history[0]!.terms.L_direction).toBeUndefined();
      expect(Array.from(without.test.probability)).not.toEqual(Array.from(outcome.test.probability));
      const resumed = await trainFold(data, split, config, { resume: checkpoints[1]! });
      expect(Array.from(resumed.test.probability)).toEqual(Array.from(outcome.test.probability));
    });
  }, 60_000);

  it('with embedding erasure, gives the probes training embeddings whose groups share their diagnosis’s mean, and resumes to the same numbers', async () => {
    await withDemo(join(tempDir(), 'erasure.neurolip'), { subjects: 90, rois: 12, timePoints: 60, seed: 9 }, async ({ data }) => {
      const split = firstFoldSplit(data);
      const settings = { variant: 'neurolip', epochs: 3, patience: 3, d: 8, heads: 2, batchSize: 16 };
      const config = resolveVariant(TrainConfig.parse({ ...settings, erasedAttributes: ['sex', 'ageGroup', 'site'] }));
      expect(config.ensemble).toBe(2);
      const { outcome, checkpoints } = await trainWithCheckpoints(data, split, config);
      const whole = await trainFold(data, split, resolveVariant(TrainConfig.parse({ ...settings, erasedAttributes: [] })));
      const width = outcome.trainEmbedding.length / split.fit.length;
      /** Over the training subjects, the largest gap between a group's feature mean and its diagnosis's. */
      const largestGap = (embedding: Float32Array, attribute: string): number => {
        const mean = (rows: number[], f: number) => rows.reduce((sum, k) => sum + embedding[k * width + f]!, 0) / rows.length;
        const groups = new Map<string, number[]>();
        const diagnoses = new Map<number, number[]>();
        split.fit.forEach((i, k) => {
          const group = data.attributes[attribute]![i];
          if (group === null) return;
          groups.set(`${data.dx[i]}:${group}`, [...(groups.get(`${data.dx[i]}:${group}`) ?? []), k]);
          diagnoses.set(data.dx[i]!, [...(diagnoses.get(data.dx[i]!) ?? []), k]);
        });
        let largest = 0;
        for (const [key, rows] of groups)
          for (let f = 0; f < width; f += 1)
            largest = Math.max(largest, Math.abs(mean(rows, f) - mean(diagnoses.get(Number(key.split(':')[0]))!, f)));
        return largest;
      };
      for (const attribute of config.sensitive) {
        expect(largestGap(whole.trainEmbedding, attribute)).toBeGreaterThan(1e-2);
        expect(largestGap(outcome.trainEmbedding, attribute)).toBeLessThan(1e-4);
      }
      const sexOnly = await trainFold(data, split, resolveVariant(TrainConfig.parse({ ...settings, erasedAttributes: ['sex'] })));
      expect(largestGap(sexOnly.trainEmbedding, 'sex')).toBeLessThan(1e-4);
      expect(largestGap(sexOnly.trainEmbedding, 'site')).toBeGreaterThan(1e-2);
      // Erasure comes after training: the epochs are the same, the test predictions are not.
      expect(outcome.history.map((r) => r.valAuc)).toEqual(whole.history.map((r) => r.valAuc));
      expect(Array.from(outcome.test.probability)).not.toEqual(Array.from(whole.test.probability));
      const resumed = await trainFold(data, split, config, { resume: checkpoints[1]! });
      expect(Array.from(resumed.test.probability)).toEqual(Array.from(outcome.test.probability));
    });
  }, 60_000);

  it('early-stops each ensemble member on its own validation subjects, freezes it, and resumes to the same numbers', async () => {
    await withDemo(join(tempDir(), 'members.neurolip'), { subjects: 120, rois: 12, timePoints: 60, seed: 8 }, async ({ data }) => {
      const split = firstFoldSplit(data);
      const config = resolveVariant(
        TrainConfig.parse({
          variant: 'neurolip',
          epochs: 14,
          patience: 2,
          learningRate: 0.01,
          d: 8,
          heads: 2,
          batchSize: 16,
          ensemble: 3,
          memberValidation: 'own',
          weightAveraging: 0.5,
          // The Fisher-z correlations, on which these members stop at different epochs (the subject of this test).
          connectomeMeasure: 'correlation',
        }),
      );
      const { outcome, checkpoints } = await trainWithCheckpoints(data, split, config);
      const last = checkpoints.at(-1)!;
      expect(last.best).toHaveLength(3);
      const bests = last.best.map((b) => b.epoch);
      // The members stopped at different epochs, each `patience` after its own best (or at the epoch limit).
      const stoppedAt = bests.map((b) => Math.min(b + 2, 13));
      expect(new Set(stoppedAt).size).toBeGreaterThan(1);
      expect(outcome.history.at(-1)!.epoch).toBe(Math.max(...stoppedAt));
      expect(outcome.bestEpoch).toBe(Math.round(bests.reduce((a, b) => a + b, 0) / 3));
      expect(outcome.bestValAuc).toBeCloseTo(last.best.reduce((a, b) => a + b.auc, 0) / 3, 10);
      // A member that stopped no longer trains: it holds its best weights in every later checkpoint.
      const perMember = last.weights.length / 3;
      const first = stoppedAt.indexOf(Math.min(...stoppedAt));
      const frozen = (c: FoldCheckpoint): Float32Array[] => c.weights.slice(first * perMember, (first + 1) * perMember);
      for (const c of checkpoints.filter((c) => c.epoch > stoppedAt[first]!)) expect(frozen(c)).toEqual(last.best[first]!.weights);

      const resumeFrom = checkpoints.find((c) => c.epoch === stoppedAt[first]! + 2)!;
      const resumed = await trainFold(data, split, config, { resume: resumeFrom });
      expect(Array.from(resumed.test.probability)).toEqual(Array.from(outcome.test.probability));
      expect(resumed.bestEpoch).toBe(outcome.bestEpoch);
    });
  }, 120_000);

  it("early-stops each member apart on the fold's validation subjects, member 0 exactly as the single model", async () => {
    await withDemo(join(tempDir(), 'separate.neurolip'), { subjects: 90, rois: 12, timePoints: 60, seed: 8 }, async ({ data }) => {
      const split = firstFoldSplit(data);
      const settings = { variant: 'neurolip', ensemble: 1, epochs: 10, patience: 2, learningRate: 0.01, d: 8, heads: 2, batchSize: 16 };
      const single = await trainFold(data, split, resolveVariant(TrainConfig.parse(settings)));
      let last: FoldCheckpoint | undefined;
      const apart = await trainFold(
        data,
        split,
        resolveVariant(
          TrainConfig.parse({ ...settings, ensemble: 2, memberValidation: 'separate', memberSettings: [{}, { learningRate: 0.001 }] }),
        ),
        { onCheckpoint: (checkpoint) => void (last = checkpoint) },
      );
      expect(last!.best[0]!.epoch).toBe(single.bestEpoch);
      expect(last!.best[0]!.auc).toBeCloseTo(single.bestValAuc, 10);
      expect(last!.best).toHaveLength(2);
      expect(apart.bestEpoch).toBe(Math.round((last!.best[0]!.epoch + last!.best[1]!.epoch) / 2));
    });
  }, 120_000);

  it('without early stopping trains every epoch and keeps the last, for one model or for one member of an ensemble', async () => {
    await withDemo(join(tempDir(), 'nostop.neurolip'), { subjects: 90, rois: 12, timePoints: 60, seed: 8 }, async ({ data }) => {
      const split = firstFoldSplit(data);
      const settings = { variant: 'neurolip', ensemble: 1, epochs: 8, patience: 1, learningRate: 0.01, d: 8, heads: 2, batchSize: 16 };
      const single = await trainFold(data, split, resolveVariant(TrainConfig.parse({ ...settings, earlyStopping: false })));
      // One model's own setting counts as the run's.
      const own = await trainFold(
        data,
        split,
        resolveVariant(TrainConfig.parse({ ...settings, memberSettings: [{ earlyStopping: false }] })),
      );
      expect(Array.from(own.test.probability)).toEqual(Array.from(single.test.probability));
      expect(single.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(single.bestEpoch).toBe(7);
      expect(single.bestValAuc).toBe(single.history.at(-1)!.valAuc);
      let last: FoldCheckpoint | undefined;
      const mixed = await trainFold(
        data,
        split,
        resolveVariant(
          TrainConfig.parse({ ...settings, ensemble: 2, memberValidation: 'separate', memberSettings: [{}, { earlyStopping: false }] }),
        ),
        { onCheckpoint: (checkpoint) => void (last = checkpoint) },
      );
      // Member 0 stops as the single model with patience 1 would; member 1 trains to the last epoch and keeps it.
      expect(last!.best[0]!.epoch).toBeLessThan(7);
      expect(last!.best[1]!.epoch).toBe(7);
      expect(mixed.history.at(-1)!.epoch).toBe(7);
    });
  }, 120_000);

  it('trains the default model when a sensitive attribute has one group (an all-male cohort), and with no sensitive attribute', async () => {
    await withDemo(join(tempDir(), 'onegroup.neurolip'), { subjects: 60, rois: 12, timePoints: 80, seed: 4 }, async ({ data }) => {
      const split = firstFoldSplit(data);
      data.attributes.sex!.fill('male');
      const settings = { variant: 'neurolip', epochs: 2, patience: 2, d: 8, heads: 2, batchSize: 16 };
      const config = resolveVariant(TrainConfig.parse(settings));
      expect(config.sensitive).toEqual(['sex', 'ageGroup', 'site']);
      const { outcome } = await trainWithCheckpoints(data, split, config);
      expect(outcome.vocabulary.attributes.find((a) => a.name === 'sex')?.values).toEqual(['male']);
      expect(outcome.history.every((record) => Number.isFinite(record.terms.loss))).toBe(true);
      expect(Array.from(outcome.test.probability).every(Number.isFinite)).toBe(true);
      const none = await trainFold(
        data,
        split,
        resolveVariant(TrainConfig.parse({ ...settings, sensitive: [], readoutOffsets: [], erasedAttributes: [] })),
      );
      expect(none.vocabulary.attributes.map((a) => a.name)).toEqual(['dx']);
      expect(Array.from(none.test.probability).every(Number.isFinite)).toBe(true);
    });
  }, 60_000);

  it('stops with a clear message when no epoch gives finite predictions', async () => {
    await withDemo(join(tempDir(), 'diverged.neurolip'), { subjects: 60, rois: 12, timePoints: 80, seed: 3 }, async ({ data }) => {
      data.fc.fill(Number.POSITIVE_INFINITY);
      const strata = Array.from(data.dx, String);
      const fold = stratifiedKFold(strata, 3, 0)[0]!;
      const { fit, validation } = validationSplit(fold.train, strata, strata, 0.2, 0);
      const config = resolveVariant(TrainConfig.parse({ variant: 'neurolip', epochs: 3, patience: 3, d: 8, heads: 2, batchSize: 16 }));
      await expect(trainFold(data, { fit, validation, test: fold.test }, config)).rejects.toThrow(
        /^Training diverged: no epoch gave finite predictions on the validation subjects \(learning rate 0\.001\)/,
      );
    });
  }, 60_000);
});
