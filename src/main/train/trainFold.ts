import { JobCancelledError } from '../jobs/jobManager';
import { auc } from '../eval/metrics';
import { AdamW } from '../model/adamW';
import { NeuroLIPEnsemble } from '../model/neurolipEnsemble';
import type { Predictions, Vocabulary } from '../model/neurolipModel';
import * as tf from '../model/tf';
import type { TrainConfig } from '../model/trainConfig';
import { WeightAverage } from '../model/weightAverage';
import { SeededRandom } from '../synth/random';
import type { CohortData } from './cohortData';
import { FoldInputs } from './foldInputs';

export interface EpochRecord {
  epoch: number;
  seconds: number;
  steps: number;
  /** Mean over the epoch's batches of each loss term and gate. */
  terms: Record<string, number>;
  valAuc: number;
}

export interface FoldOutcome {
  vocabulary: Vocabulary;
  history: EpochRecord[];
  bestEpoch: number;
  bestValAuc: number;
  /** Predictions on the test subjects (in the order given). */
  test: Predictions;
  /** Diagnosis-conditioned embeddings of the training subjects, for the leakage probe. */
  trainEmbedding: Float32Array;
}

/** Everything needed to continue a fold after its last finished epoch and end with the same numbers. */
export interface FoldCheckpoint {
  /** The next epoch to run. */
  epoch: number;
  weights: Float32Array[];
  optimiser: { step: number; m: Float32Array[]; v: Float32Array[] };
  best: { epoch: number; auc: number; weights: Float32Array[] };
  /** The moving average of the weights (config.weightAveraging > 0), else null. */
  average: { updates: number; weights: Float32Array[] } | null;
  shuffler: { state: number; spare: number | null };
  dropoutCalls: number;
  history: EpochRecord[];
}

export interface FoldCallbacks {
  signal?: AbortSignal;
  onEpoch?: (record: EpochRecord) => void;
  /**
   * Called after the first epoch, then after an epoch once `checkpointSeconds` have passed since the
   * last call, with the state to resume from; training waits for a returned promise.
   */
  onCheckpoint?: (checkpoint: FoldCheckpoint) => void | Promise<void>;
  /** The least time between two checkpoints (0, the default: after every epoch). */
  checkpointSeconds?: number;
  resume?: FoldCheckpoint;
}

/** The vocabulary from the training subjects: diagnosis tokens (control, patient) and each sensitive attribute's values. */
export function buildVocabulary(data: CohortData, train: number[], sensitive: string[]): Vocabulary {
  return {
    attributes: [
      { name: 'dx', values: [data.labels.control, data.labels.patient] },
      ...sensitive.map((name) => ({
        name,
        values: [...new Set(train.map((i) => data.attributes[name]![i]).filter((v): v is string => v !== null))].sort(),
      })),
    ],
  };
}

function encode(data: CohortData, vocabulary: Vocabulary, subjects: number[]): Int32Array[] {
  return vocabulary.attributes.map((attribute, a) => {
    if (a === 0) return Int32Array.from(subjects, (i) => data.dx[i]!);
    const index = new Map(attribute.values.map((v, k) => [v, k]));
    return Int32Array.from(subjects, (i) => index.get(data.attributes[attribute.name]![i] ?? '') ?? -1);
  });
}

/** Predicts in chunks (no dropout), concatenating the outputs. */
export function predictSubjects(
  model: NeuroLIPEnsemble,
  data: CohortData,
  inputs: FoldInputs,
  vocabulary: Vocabulary,
  subjects: number[],
  withMaps: boolean,
): Predictions {
  const parts: Predictions[] = [];
  for (let start = 0; start < subjects.length; start += 128) {
    const chunk = subjects.slice(start, start + 128);
    const x = inputs.batch(chunk);
    parts.push(model.predict(x, encode(data, vocabulary, chunk), withMaps));
    tf.dispose([x.fc, x.edges ?? []].flat());
  }
  const concat = (arrays: Float32Array[]): Float32Array => {
    const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
    let offset = 0;
    for (const a of arrays) {
      out.set(a, offset);
      offset += a.length;
    }
    return out;
  };
  const names = Object.keys(parts[0]?.ownMaps ?? {});
  return {
    probability: concat(parts.map((p) => p.probability)),
    embedding: concat(parts.map((p) => p.embedding)),
    dxMaps: concat(parts.map((p) => p.dxMaps)),
    ownMaps: Object.fromEntries(names.map((name) => [name, concat(parts.map((p) => p.ownMaps[name]!))])),
  };
}

/** Runs `use` with the model's weights set to `weights`, then puts the live weights back. */
function withWeights<T>(model: NeuroLIPEnsemble, weights: Float32Array[] | null, use: () => T): T {
  if (!weights) return use();
  const live = model.snapshot();
  model.restore(weights);
  try {
    return use();
  } finally {
    model.restore(live);
  }
}

/** What one epoch of training updates. */
interface Trainer {
  model: NeuroLIPEnsemble;
  optimiser: AdamW;
  average: WeightAverage | null;
  inputs: FoldInputs;
  vocabulary: Vocabulary;
  shuffler: SeededRandom;
}

/** One epoch of AdamW on shuffled batches of `subjects`; returns the sums over its steps of each loss term. */
async function trainEpoch(
  trainer: Trainer,
  data: CohortData,
  subjects: number[],
  config: TrainConfig,
  signal: AbortSignal | undefined,
): Promise<{ sums: Record<string, number>; steps: number }> {
  const { model, optimiser, average, inputs, vocabulary, shuffler } = trainer;
  const order = shuffler.permutation(subjects.length).map((k) => subjects[k]!);
  const sums: Record<string, number> = {};
  let steps = 0;
  for (let start = 0; start < order.length; start += config.batchSize) {
    if (signal?.aborted) throw new JobCancelledError();
    const batch = order.slice(start, start + config.batchSize);
    if (batch.length < 2) continue;
    const codes = encode(data, vocabulary, batch);
    const x = inputs.batch(batch, shuffler);
    let terms: Record<string, number> = {};
    const { value, grads } = tf.variableGrads(() => {
      const result = model.loss(x, codes, true);
      terms = { loss: result.terms.loss, ...result.terms.terms };
      return result.total;
    }, model.variables);
    optimiser.apply(grads);
    model.clampScale();
    average?.update();
    tf.dispose([value, x.fc, x.edges ?? [], ...Object.values(grads)].flat());
    for (const [k, v] of Object.entries(terms)) sums[k] = (sums[k] ?? 0) + v;
    steps += 1;
    await yieldToEventLoop();
  }
  return { sums, steps };
}

/**
 * config.refit: a fresh model with the fold's own initial weights, trained on `subjects` (the
 * training and validation subjects together) for `epochs` epochs, the number early stopping chose.
 * With weight averaging the average is what predicts. Deterministic, so a resumed fold refits alike.
 */
async function refitFold(
  data: CohortData,
  subjects: number[],
  epochs: number,
  config: TrainConfig & { ttca: boolean },
  signal: AbortSignal | undefined,
): Promise<{ model: NeuroLIPEnsemble; inputs: FoldInputs; vocabulary: Vocabulary }> {
  const vocabulary = buildVocabulary(data, subjects, config.sensitive);
  const inputs = new FoldInputs(data, subjects, config);
  const model = new NeuroLIPEnsemble(data.rois, vocabulary, config, 'refit.');
  const optimiser = new AdamW(model.variables, config.learningRate, config.weightDecay);
  const average = config.weightAveraging > 0 ? new WeightAverage(model.variables, config.weightAveraging) : null;
  const shuffler = new SeededRandom(config.seed * 31 + 18);
  try {
    for (let epoch = 0; epoch < epochs; epoch += 1) {
      await trainEpoch({ model, optimiser, average, inputs, vocabulary, shuffler }, data, subjects, config, signal);
    }
    const averaged = average?.snapshot();
    if (averaged) model.restore(averaged);
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    optimiser.dispose();
    average?.dispose();
  }
  return { model, inputs, vocabulary };
}

/** Lets the event loop run (progress messages, a cancel request) between training steps. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Trains one fold: AdamW on shuffled batches, the validation AUC after every epoch, early
 * stopping with patience, and the best epoch's weights restored before predicting the test set.
 * With weight averaging on, validation, the best epoch's weights and prediction use the average.
 * An ensemble (config.ensemble > 1) trains its members together and stops on their joint validation AUC.
 * With config.timeWindow below 1 the training batches' connectivity comes from random time windows
 * drawn from the shuffler, whose state the checkpoint keeps.
 * A fold where no epoch gives finite validation predictions stops with an error (training diverged).
 */
export async function trainFold(
  data: CohortData,
  split: { fit: number[]; validation: number[]; test: number[] },
  config: TrainConfig & { ttca: boolean },
  callbacks: FoldCallbacks = {},
): Promise<FoldOutcome> {
  const vocabulary = buildVocabulary(data, split.fit, config.sensitive);
  const inputs = new FoldInputs(data, split.fit, config);
  const model = new NeuroLIPEnsemble(data.rois, vocabulary, config);
  const optimiser = new AdamW(model.variables, config.learningRate, config.weightDecay);
  const average = config.weightAveraging > 0 ? new WeightAverage(model.variables, config.weightAveraging) : null;
  const shuffler = new SeededRandom(config.seed * 31 + 17);
  const history: EpochRecord[] = [];
  let best = { epoch: -1, auc: -1, weights: model.snapshot() };
  let firstEpoch = 0;
  if (callbacks.resume) {
    const saved = callbacks.resume;
    model.restore(saved.weights);
    optimiser.load(saved.optimiser);
    shuffler.setState(saved.shuffler);
    model.dropoutCalls = saved.dropoutCalls;
    best = saved.best;
    if (average && saved.average) average.load(saved.average);
    history.push(...saved.history);
    firstEpoch = saved.epoch;
  }
  let lastCheckpoint = Number.NEGATIVE_INFINITY;
  const stopped = (): boolean => {
    const last = history.at(-1);
    return last !== undefined && (!Number.isFinite(last.terms.loss ?? Number.NaN) || last.epoch - best.epoch >= config.patience);
  };
  try {
    for (let epoch = firstEpoch; epoch < config.epochs && !stopped(); epoch += 1) {
      const started = performance.now();
      const { sums, steps } = await trainEpoch(
        { model, optimiser, average, inputs, vocabulary, shuffler },
        data,
        split.fit,
        config,
        callbacks.signal,
      );
      const evaluated = average?.snapshot() ?? null;
      const validation = withWeights(model, evaluated, () => predictSubjects(model, data, inputs, vocabulary, split.validation, false));
      const finite = validation.probability.every(Number.isFinite);
      const valAuc = finite
        ? auc(
            split.validation.map((i) => data.dx[i]!),
            validation.probability,
          )
        : Number.NaN;
      const record: EpochRecord = {
        epoch,
        seconds: (performance.now() - started) / 1000,
        steps,
        terms: Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / steps])),
        valAuc,
      };
      history.push(record);
      callbacks.onEpoch?.(record);
      // A validation set with one diagnosis only (tiny cohorts) has no AUC: then the latest epoch counts as best.
      if (finite && (valAuc > best.auc || Number.isNaN(valAuc))) best = { epoch, auc: valAuc, weights: evaluated ?? model.snapshot() };
      if (!callbacks.onCheckpoint || performance.now() - lastCheckpoint < (callbacks.checkpointSeconds ?? 0) * 1000) continue;
      lastCheckpoint = performance.now();
      await callbacks.onCheckpoint({
        epoch: epoch + 1,
        weights: model.snapshot(),
        optimiser: optimiser.state(),
        best,
        average: average?.state() ?? null,
        shuffler: shuffler.getState(),
        dropoutCalls: model.dropoutCalls,
        history: [...history],
      });
    }
    if (best.epoch < 0) {
      throw new Error(
        `Training diverged: no epoch gave finite predictions on the validation subjects (learning rate ${config.learningRate}). Lower the learning rate and train again.`,
      );
    }
    model.restore(best.weights);
    const predictor = config.refit
      ? await refitFold(data, [...split.fit, ...split.validation], best.epoch + 1, config, callbacks.signal)
      : { model, inputs, vocabulary };
    try {
      return {
        vocabulary: predictor.vocabulary,
        history,
        bestEpoch: best.epoch,
        bestValAuc: best.auc,
        test: predictSubjects(predictor.model, data, predictor.inputs, predictor.vocabulary, split.test, true),
        trainEmbedding: predictSubjects(predictor.model, data, predictor.inputs, predictor.vocabulary, split.fit, false).embedding,
      };
    } finally {
      if (predictor.model !== model) predictor.model.dispose();
    }
  } finally {
    optimiser.dispose();
    average?.dispose();
    model.dispose();
  }
}
