import { JobCancelledError } from '../jobs/jobManager';
import { auc } from '../eval/metrics';
import type { AdamW } from '../model/adamW';
import { meanLossTerms, memberSeed, NeuroLIPEnsemble } from '../model/neurolipEnsemble';
import { fitGroupEraser } from '../model/groupEraser';
import { embeddingGroupDirections } from '../model/losses';
import {
  isConnectomeVariable,
  type BrainBatch,
  type LossTerms,
  type NeuroLIPModel,
  type Predictions,
  type Vocabulary,
} from '../model/neurolipModel';
import * as tf from '../model/tf';
import { memberConfig, type TrainConfig } from '../model/trainConfig';
import { WeightAverage } from '../model/weightAverage';
import { centreGroupLogOdds } from '../model/unseenSiteCentring';
import { SeededRandom } from '../synth/random';
import type { CohortData } from './cohortData';
import { earlyStoppingSplit } from './earlyStoppingSplit';
import { FoldInputs } from './foldInputs';
import { createOptimiser } from './optimiser';

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

/** The epoch with the highest validation AUC so far, and the weights it had. */
export interface UnitBest {
  epoch: number;
  auc: number;
  weights: Float32Array[];
}

/** Everything needed to continue a fold after its last finished epoch and end with the same numbers. */
export interface FoldCheckpoint {
  /** The next epoch to run. */
  epoch: number;
  weights: Float32Array[];
  optimiser: { step: number; m: Float32Array[]; v: Float32Array[] };
  /** Per early-stopping unit (one, or each ensemble member with its own validation subjects): its best epoch so far. */
  best: UnitBest[];
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

/** `use` on the subjects' batches of at most 128, each disposed after; returns what it gave for each. */
function inChunks<T>(inputs: FoldInputs, subjects: number[], use: (x: BrainBatch, chunk: number[]) => T): T[] {
  const results: T[] = [];
  for (let start = 0; start < subjects.length; start += 128) {
    const chunk = subjects.slice(start, start + 128);
    const x = inputs.batch(chunk);
    try {
      results.push(use(x, chunk));
    } finally {
      tf.dispose([x.fc, x.edges ?? []].flat());
    }
  }
  return results;
}

/** Predicts in chunks (no dropout), concatenating the outputs. */
export function predictSubjects(
  model: Pick<NeuroLIPEnsemble, 'predict'>,
  data: CohortData,
  inputs: FoldInputs,
  vocabulary: Vocabulary,
  subjects: number[],
  withMaps: boolean,
): Predictions {
  const parts = inChunks(inputs, subjects, (x, chunk) =>
    model.predict(
      x,
      encode(data, vocabulary, chunk),
      withMaps,
      chunk.map((s) => data.motion[s]!),
    ),
  );
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

/**
 * The test predictions, with each unseen site's patient log-odds centred on the training subjects'
 * patient share (centreGroupLogOdds) when the run offsets its prediction per site: such a site has
 * no offset of its own, and its centring replaces one (docs/model.md, twenty-second round).
 */
function withUnseenSitesCentred(
  test: Predictions,
  data: CohortData,
  inputs: FoldInputs,
  split: { fit: number[]; validation: number[]; test: number[] },
  config: TrainConfig,
): Predictions {
  if (!config.readoutOffsets.includes('site')) return test;
  const groups = inputs.unseenSites(split.test);
  if (groups.every((g) => g < 0)) return test;
  const share = mean([...split.fit, ...split.validation].map((i) => data.dx[i]!));
  return { ...test, probability: centreGroupLogOdds(test.probability, groups, share) };
}

/** Which group directions the run's penalties push against, if any (set at each epoch's start). */
function groupDirectionsKind(config: TrainConfig): 'offsets' | 'discriminant' | null {
  if (config.directionPenalty > 0) return 'discriminant';
  if (config.embeddingPenalty === 0 || config.embeddingPenaltyEstimate === 'batch') return null;
  return config.embeddingPenaltyEstimate === 'training' ? 'offsets' : 'discriminant';
}

/** The member's group offsets (or their discriminant directions) in its standardised prediction embedding over `subjects`, for the embedding penalty. */
function setGroupDirections(
  member: NeuroLIPModel,
  data: CohortData,
  inputs: FoldInputs,
  vocabulary: Vocabulary,
  subjects: number[],
  discriminant: boolean,
): void {
  const { embedding } = predictSubjects(member, data, inputs, vocabulary, subjects, false);
  member.groupDirections = embeddingGroupDirections(
    embedding,
    embedding.length / subjects.length,
    encode(data, vocabulary, subjects),
    discriminant,
  );
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

/**
 * What early stopping watches: the whole ensemble on the fold's validation subjects, or (with
 * config.memberValidation 'separate' or 'own') one member, on the fold's validation subjects or on
 * validation subjects of its own. A unit trains on the rows of each batch that are in its `fit`
 * set, and stops being trained once it stops.
 */
interface Unit {
  net: Pick<NeuroLIPModel, 'predict' | 'snapshot' | 'restore'>;
  /** The models that train in the unit (the ensemble's members, or one member). */
  members: NeuroLIPModel[];
  fit: Set<number>;
  validation: number[];
  /** Where the unit's weights start in the ensemble's snapshot, and how many arrays they are. */
  offset: number;
  count: number;
  best: UnitBest;
  /** The validation AUC of the unit's latest evaluated epoch. */
  latest: number;
  /** Whether the unit stops early on its validation AUC; otherwise it trains every epoch and keeps its last weights. */
  stopsEarly: boolean;
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

/** The rows of `x` at `rows` (a unit's share of a batch). */
function batchRows(x: BrainBatch, rows: number[]): BrainBatch {
  const index = tf.tensor1d(rows, 'int32');
  const part = { fc: tf.gather(x.fc, index), edges: x.edges ? tf.gather(x.edges, index) : null };
  index.dispose();
  return part;
}

/**
 * One epoch of AdamW on shuffled batches of `subjects`, each unit's loss on its own rows of the
 * batch; returns the sums over its steps of each loss term (the units' means). In an epoch of the
 * whole-connectome token's warm-up (config.connectomeWarmup) only the token's weights train and
 * the logits are its term alone.
 */
async function trainEpoch(
  trainer: Trainer,
  units: Unit[],
  data: CohortData,
  subjects: number[],
  epoch: number,
  config: TrainConfig,
  signal: AbortSignal | undefined,
): Promise<{ sums: Record<string, number>; steps: number }> {
  const { model, optimiser, average, inputs, vocabulary, shuffler } = trainer;
  const warmup = stageModel(model, epoch, config);
  const directions = groupDirectionsKind(config);
  if (directions)
    for (const unit of units)
      for (const member of unit.members) setGroupDirections(member, data, inputs, vocabulary, [...unit.fit], directions === 'discriminant');
  const order = shuffler.permutation(subjects.length).map((k) => subjects[k]!);
  const sums: Record<string, number> = {};
  let steps = 0;
  for (let start = 0; start < order.length; start += config.batchSize) {
    if (signal?.aborted) throw new JobCancelledError();
    const batch = order.slice(start, start + config.batchSize);
    const parts = units
      .map((unit) => ({ unit, rows: batch.flatMap((s, k) => (unit.fit.has(s) ? [k] : [])) }))
      .filter((part) => part.rows.length >= 2);
    if (parts.length === 0) continue;
    const x = inputs.batch(batch, shuffler);
    const inputsOf = parts.map(({ rows }) =>
      rows.length === batch.length
        ? { x, codes: encode(data, vocabulary, batch) }
        : {
            x: batchRows(x, rows),
            codes: encode(
              data,
              vocabulary,
              rows.map((k) => batch[k]!),
            ),
          },
    );
    // One gradient tape per member: a joint tape over several members took 1.5-1.8 times their summed time on wasm and can exhaust its heap.
    const terms: LossTerms[] = [];
    const values: tf.Scalar[] = [];
    const grads: tf.NamedTensorMap = {};
    parts.forEach(({ unit }, p) => {
      for (const member of unit.members) {
        const result = tf.variableGrads(
          () => {
            const loss = member.loss(inputsOf[p]!.x, inputsOf[p]!.codes, true);
            terms.push(loss.terms);
            return loss.total;
          },
          warmup ? member.variables.filter((v) => isConnectomeVariable(v.name)) : member.trainable,
        );
        values.push(result.value);
        Object.assign(grads, result.grads);
      }
    });
    const mean = meanLossTerms(terms);
    optimiser.apply(grads);
    model.clampScale();
    average?.update();
    tf.dispose([
      ...values,
      ...Object.values(grads),
      ...new Set([x, ...inputsOf.map((i) => i.x)].flatMap((b) => [b.fc, b.edges ?? []].flat())),
    ]);
    for (const [k, v] of Object.entries({ loss: mean.loss, ...mean.terms })) sums[k] = (sums[k] ?? 0) + v;
    steps += 1;
    await yieldToEventLoop();
  }
  return { sums, steps };
}

/** Sets whether `epoch` is in the whole-connectome token's warm-up, for every member; returns it. */
function stageModel(model: NeuroLIPEnsemble, epoch: number, config: TrainConfig): boolean {
  const warmup = epoch < config.connectomeWarmup;
  for (const member of model.members) member.connectomeAlone = warmup;
  return warmup;
}

/** Whether member m stops early: its own setting, else the run's. */
function memberStopsEarly(config: TrainConfig, m: number): boolean {
  return memberConfig(config, m).earlyStopping;
}

/** The whole ensemble as one early-stopping unit on `fit` and `validation`. */
function wholeUnit(model: NeuroLIPEnsemble, fit: number[], validation: number[], stopsEarly: boolean): Unit {
  return {
    net: model,
    members: model.members,
    fit: new Set(fit),
    validation,
    offset: 0,
    count: model.variables.length,
    best: { epoch: -1, auc: -1, weights: model.snapshot() },
    latest: Number.NaN,
    stopsEarly,
  };
}

/**
 * Each member's training and validation subjects when members stop apart: the fold's
 * (config.memberValidation 'separate'), or validation subjects of its own ('own': member 0 keeps the
 * fold's split, member m draws its own from the same training subjects).
 */
function memberSplits(
  data: CohortData,
  split: { fit: number[]; validation: number[] },
  train: number[],
  config: TrainConfig,
): { fit: number[]; validation: number[] }[] {
  return Array.from({ length: config.ensemble }, (_, m) =>
    m === 0 || config.memberValidation === 'separate'
      ? split
      : earlyStoppingSplit(data, train, config.validationFraction, memberSeed(config.seed, m)),
  );
}

/** One unit per member, each stopping on its own on its split's validation subjects. */
function memberUnits(model: NeuroLIPEnsemble, splits: { fit: number[]; validation: number[] }[], config: TrainConfig): Unit[] {
  let offset = 0;
  return model.members.map((member, m) => {
    const own = splits[m]!;
    const unit: Unit = {
      net: member,
      members: [member],
      fit: new Set(own.fit),
      validation: own.validation,
      offset,
      count: member.variables.length,
      best: { epoch: -1, auc: -1, weights: member.snapshot() },
      latest: Number.NaN,
      stopsEarly: memberStopsEarly(config, m),
    };
    offset += unit.count;
    return unit;
  });
}

/**
 * Fits each member's connectome readout that is fitted first (connectomeOptimiser 'converged'), and
 * its group offsets if any, on that member's training subjects, `fitOf[m]`, before anything else
 * reads the weights.
 */
export function fitFixedReadouts(model: NeuroLIPEnsemble, data: CohortData, inputs: FoldInputs, fitOf: number[][]): void {
  model.members.forEach((member, m) => {
    if (!member.fittedReadout) return;
    const subjects = fitOf[m]!;
    const x = inputs.batch(subjects);
    try {
      member.fitReadout(
        x.edges!,
        encode(data, member.vocabulary, subjects),
        inputs.edgeCentring(subjects),
        subjects.map((s) => data.motion[s]!),
      );
    } finally {
      tf.dispose([x.fc, x.edges ?? []].flat());
    }
  });
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
): Promise<Predictor> {
  const vocabulary = buildVocabulary(data, subjects, config.sensitive);
  const inputs = await FoldInputs.prepare(data, subjects, config);
  const model = new NeuroLIPEnsemble(data.rois, vocabulary, config, 'refit.', inputs.connectomeBasis);
  const fitOf = model.members.map(() => subjects);
  fitFixedReadouts(model, data, inputs, fitOf);
  const optimiser = createOptimiser(model.members);
  const average = config.weightAveraging > 0 ? new WeightAverage(model.variables, config.weightAveraging) : null;
  const shuffler = new SeededRandom(config.seed * 31 + 18);
  const units = [wholeUnit(model, subjects, [], false)];
  try {
    for (let epoch = 0; epoch < epochs; epoch += 1) {
      await trainEpoch({ model, optimiser, average, inputs, vocabulary, shuffler }, units, data, subjects, epoch, config, signal);
    }
    stageModel(model, epochs, config);
    const averaged = average?.snapshot();
    if (averaged) model.restore(averaged);
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    optimiser.dispose();
    average?.dispose();
  }
  return { model, inputs, vocabulary, fitOf };
}

/** A fold's trained model with its inputs and vocabulary, and each member's training subjects. */
interface Predictor {
  model: NeuroLIPEnsemble;
  inputs: FoldInputs;
  vocabulary: Vocabulary;
  fitOf: number[][];
}

/**
 * Fits each member's eraser of `erased` attributes (and of head motion, with `motion`) on the
 * embeddings of its own training subjects, computed without one.
 */
function fitErasers({ model, inputs, vocabulary, fitOf }: Predictor, data: CohortData, erased: string[], motion: boolean): void {
  const attributes = vocabulary.attributes.flatMap((attribute, a) => (a > 0 && erased.includes(attribute.name) ? [a] : []));
  model.members.forEach((member, m) => {
    const subjects = fitOf[m]!;
    member.eraser = null;
    const { embedding } = predictSubjects(member, data, inputs, vocabulary, subjects, false);
    const codes = encode(data, vocabulary, subjects);
    member.eraser = fitGroupEraser(
      embedding,
      embedding.length / subjects.length,
      [codes[0]!, ...attributes.map((a) => codes[a]!)],
      motion ? [subjects.map((s) => data.motion[s]!)] : [],
    );
  });
}

/**
 * Sets each member's pathwayShift beside a readout fitted first: its attention pathway's mean share of
 * the patient-minus-control logit over its own training subjects (config.pathwayCentring), with any eraser in place.
 */
function centrePathways({ model, inputs, fitOf }: Predictor): void {
  model.members.forEach((member, m) => {
    if (!member.fittedReadout) return;
    const subjects = fitOf[m]!;
    const sums = inChunks(inputs, subjects, (x) => member.pathwayLogits(x).reduce((total, v) => total + v, 0));
    member.pathwayShift = sums.reduce((total, v) => total + v, 0) / subjects.length;
  });
}

/** Lets the event loop run (progress messages, a cancel request) between training steps. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const mean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;

/**
 * Trains one fold: AdamW on shuffled batches, the validation AUC after every epoch, early
 * stopping with patience, and the best epoch's weights restored before predicting the test set.
 * With weight averaging on, validation, the best epoch's weights and prediction use the average.
 * An ensemble (config.ensemble > 1) trains its members together and stops on their joint validation
 * AUC; with config.memberValidation 'own' each member holds out its own validation subjects from the
 * fold's training subjects, stops on its own (then no longer trains) and contributes its own best
 * epoch, and the fold's inputs are standardised on all its training subjects. The fold's best epoch
 * and validation AUC are then the members' means, and the epoch's validation AUC is the mean of each
 * member's latest. With 'separate' each member stops on its own in the same way but on the fold's
 * validation subjects, and trains on the fold's training subjects only.
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
  const apart = config.memberValidation !== 'shared' && config.ensemble > 1;
  const pool = apart && config.memberValidation === 'own' ? [...split.fit, ...split.validation].sort((a, b) => a - b) : split.fit;
  const vocabulary = buildVocabulary(data, pool, config.sensitive);
  const inputs = await FoldInputs.prepare(data, pool, config);
  const model = new NeuroLIPEnsemble(data.rois, vocabulary, config, '', inputs.connectomeBasis);
  const splits = apart ? memberSplits(data, split, pool, config) : null;
  const fitOf = model.members.map((_, m) => splits?.[m]!.fit ?? split.fit);
  if (!callbacks.resume) fitFixedReadouts(model, data, inputs, fitOf);
  const optimiser = createOptimiser(model.members);
  const average = config.weightAveraging > 0 ? new WeightAverage(model.variables, config.weightAveraging) : null;
  const shuffler = new SeededRandom(config.seed * 31 + 17);
  const units = splits
    ? memberUnits(model, splits, config)
    : [wholeUnit(model, split.fit, split.validation, config.ensemble === 1 ? memberStopsEarly(config, 0) : config.earlyStopping)];
  const history: EpochRecord[] = [];
  let firstEpoch = 0;
  if (callbacks.resume) {
    const saved = callbacks.resume;
    model.restore(saved.weights);
    optimiser.load(saved.optimiser);
    shuffler.setState(saved.shuffler);
    model.dropoutCalls = saved.dropoutCalls;
    units.forEach((unit, u) => (unit.best = saved.best[u]!));
    if (average && saved.average) average.load(saved.average);
    history.push(...saved.history);
    firstEpoch = saved.epoch;
  }
  let lastCheckpoint = Number.NEGATIVE_INFINITY;
  const diverged = (): boolean => !Number.isFinite(history.at(-1)?.terms.loss ?? 0);
  const training = (): Unit[] => {
    const last = history.at(-1);
    return last === undefined
      ? units
      : units.filter((unit) => !unit.stopsEarly || last.epoch - Math.max(unit.best.epoch, config.connectomeWarmup - 1) < config.patience);
  };
  try {
    for (let epoch = firstEpoch; epoch < config.epochs && !diverged() && training().length > 0; epoch += 1) {
      const started = performance.now();
      const active = training();
      const { sums, steps } = await trainEpoch(
        { model, optimiser, average, inputs, vocabulary, shuffler },
        active,
        data,
        pool,
        epoch,
        config,
        callbacks.signal,
      );
      const warming = stageModel(model, epoch, config);
      const evaluated = average?.snapshot() ?? null;
      withWeights(model, evaluated, () => {
        for (const unit of active) {
          const validation = predictSubjects(unit.net, data, inputs, vocabulary, unit.validation, false);
          const finite = validation.probability.every(Number.isFinite);
          unit.latest = finite
            ? auc(
                unit.validation.map((i) => data.dx[i]!),
                validation.probability,
              )
            : Number.NaN;
          // A validation set with one diagnosis only (tiny cohorts) has no AUC: then the latest epoch counts as best.
          // The warm-up's epochs never count: the model that predicts has trained its attention.
          if (!warming && finite && (!unit.stopsEarly || unit.latest > unit.best.auc || Number.isNaN(unit.latest)))
            unit.best = {
              epoch,
              auc: unit.latest,
              weights: evaluated?.slice(unit.offset, unit.offset + unit.count) ?? unit.net.snapshot(),
            };
        }
      });
      const record: EpochRecord = {
        epoch,
        seconds: (performance.now() - started) / 1000,
        steps,
        terms: Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / steps])),
        valAuc: units.length === 1 ? units[0]!.latest : mean(units.map((unit) => (active.includes(unit) ? unit.latest : unit.best.auc))),
      };
      history.push(record);
      callbacks.onEpoch?.(record);
      // A member that has stopped keeps its best weights from now on.
      const still = training();
      if (units.length > 1) for (const unit of active) if (!still.includes(unit)) unit.net.restore(unit.best.weights);
      if (!callbacks.onCheckpoint || performance.now() - lastCheckpoint < (callbacks.checkpointSeconds ?? 0) * 1000) continue;
      lastCheckpoint = performance.now();
      await callbacks.onCheckpoint({
        epoch: epoch + 1,
        weights: model.snapshot(),
        optimiser: optimiser.state(),
        best: units.map((unit) => unit.best),
        average: average?.state() ?? null,
        shuffler: shuffler.getState(),
        dropoutCalls: model.dropoutCalls,
        history: [...history],
      });
    }
    if (units.some((unit) => unit.best.epoch < 0)) {
      throw new Error(
        `Training diverged: no epoch gave finite predictions on the validation subjects (learning rate ${config.learningRate}). Lower the learning rate and train again.`,
      );
    }
    stageModel(model, config.epochs, config);
    model.restore(units.flatMap((unit) => unit.best.weights));
    const bestEpoch = units.length === 1 ? units[0]!.best.epoch : Math.round(mean(units.map((unit) => unit.best.epoch)));
    const predictor = config.refit
      ? await refitFold(data, [...split.fit, ...split.validation], bestEpoch + 1, config, callbacks.signal)
      : { model, inputs, vocabulary, fitOf };
    try {
      if (config.erasedAttributes.length > 0 || config.motionErasure)
        fitErasers(predictor, data, config.erasedAttributes, config.motionErasure);
      if (config.pathwayCentring) centrePathways(predictor);
      return {
        vocabulary: predictor.vocabulary,
        history,
        bestEpoch,
        bestValAuc: mean(units.map((unit) => unit.best.auc)),
        test: withUnseenSitesCentred(
          predictSubjects(predictor.model, data, predictor.inputs, predictor.vocabulary, split.test, true),
          data,
          predictor.inputs,
          split,
          config,
        ),
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
