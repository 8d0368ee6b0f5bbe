import { version as appVersion } from '../../../package.json';
import { SOURCE_FINGERPRINT } from '../sourceFingerprint';
import { equalisedOddsNull, fairnessGapIntervals, fairnessReport, type FairnessReport, type GapName } from '../eval/fairness';
import { checkDiagnosisCounts, leaveOneSiteOut, stratifiedKFold, type Fold } from '../eval/folds';
import { classificationMetrics, meanSd, METRIC_NAMES, metricsWithCi, type MetricName, type WithCi } from '../eval/metrics';
import { JobCancelledError } from '../jobs/jobManager';
import { logregFc } from '../model/logregFc';
import { shiftLogOdds } from '../model/logOdds';
import { fitMotionSlope, motionShift } from '../model/motionSlope';
import { checkTrainingMemory } from '../model/memoryEstimate';
import { resolveVariant, TrainConfig } from '../model/trainConfig';
import { STORED_CONFIG_DEFAULTS } from '../../shared/trainDefaults';
import type { ProjectStore } from '../store/projectStore';
import { RunRepository } from '../store/runRepository';
import { asWriteFailure, describeWriteFailure } from '../store/writeFailure';
import { selectBackend, tfjsVersion } from '../tf/backend';
import { decodeCheckpoint, encodeCheckpoint } from './checkpointCodec';
import { loadCohortData, trainingDataOptions, withMeasuredMotion, type CohortData } from './cohortData';
import { earlyStoppingSplit } from './earlyStoppingSplit';
import { runFolds } from './foldRunner';
import { checkSensitiveAttributes, sensitiveAttributeOptions } from './sensitiveAttributes';
import type { FoldTask } from './foldTask';
import { attentionRecovery, groupMaps, type GroupMaps } from './groupMaps';
import { LEAKAGE_PROBES, leakageProbe, type LeakageProbeName } from './leakageProbes';
import type { EpochRecord, FoldOutcome } from './trainFold';
import { tangentInParallel } from './tangentInParallel';

export type Protocol = 'kfold5' | 'loso';

export interface RunProgress {
  fold: number;
  folds: number;
  /** 0..1 over all folds (an epoch counts 1/epochs of its fold; early stopping completes a fold). */
  fraction: number;
  /** The share of `fraction` stored before this call (a resumed run's finished folds); 0 for a new run. */
  resumedFraction: number;
  epoch: EpochRecord | null;
  message: string;
}

export interface RunResult {
  run: number;
  variant: string;
  protocol: Protocol;
  backend: string;
  subjects: number;
  metrics: Record<MetricName, WithCi>;
  foldMetrics: Record<MetricName, { mean: number; sd: number }>;
  fairness: Record<string, FairnessReport & { ci: Record<GapName, [number, number]>; dEOddsNull: { chance: number; p: number } }>;
  /** Linear probes of sensitive attributes on the embeddings (LEAKAGE_PROBES), mean ± SD over folds. */
  leakage: Record<LeakageProbeName, { mean: number; sd: number }>;
  epochSeconds: number;
  folds: {
    name: string;
    train: number;
    test: number;
    bestEpoch: number;
    valAuc: number;
    auc: number;
    metrics: Record<MetricName, WithCi>;
  }[];
  maps: GroupMaps | null;
  recovery?: ReturnType<typeof attentionRecovery>;
  config: Record<string, unknown>;
}

/** What a finished fold contributes to the run, whether just trained or read back on resume. */
interface FoldResult {
  probability: ArrayLike<number>;
  /** [test, 2, R], or empty. */
  dxMaps: Float32Array;
  /** Per sensitive attribute, [test, R]. */
  ownMaps: Record<string, Float32Array>;
  probes: Record<LeakageProbeName, number>;
  history: EpochRecord[];
  bestEpoch: number;
  bestValAuc: number;
}

export type ExperimentInput = { cohortId: number; config: TrainConfig; protocol: Protocol; name?: string } | { resume: number };

/** The folds every variant shares for a cohort, protocol and seed (scikit-learn-identical K-fold). */
export function experimentFolds(data: CohortData, protocol: Protocol, seed: number): Fold[] {
  if (protocol === 'loso') return leaveOneSiteOut(data.attributes.site!);
  const strata = Array.from(data.dx, (d, i) => `${d}|${data.attributes.site![i]}`);
  return stratifiedKFold(strata, 5, seed);
}

const probeNames = Object.keys(LEAKAGE_PROBES) as LeakageProbeName[];

/** One value per leakage probe. */
function probeValues<T>(value: (name: LeakageProbeName) => T): Record<LeakageProbeName, T> {
  return Object.fromEntries(probeNames.map((name) => [name, value(name)])) as Record<LeakageProbeName, T>;
}

/**
 * logreg-fc on one fold, in the shape of a network's fold outcome (no epochs, maps or embeddings).
 * With `connectomeMeasure: 'tangent'` it reads the tangent-space connectivity at the fold's
 * training subjects' mean instead of the Fisher-z correlations. With `motionAdjustment` the test
 * subjects' log-odds lose their slope on head motion within each diagnosis, estimated on the inner
 * cross-validation's held-out scores (motionSlope.ts).
 */
async function logregOutcome(
  data: CohortData,
  fold: Fold,
  config: Pick<TrainConfig, 'seed' | 'connectomeMeasure' | 'motionAdjustment'>,
): Promise<FoldOutcome> {
  const fc = config.connectomeMeasure === 'tangent' ? await tangentInParallel(data.fc, data.rois, fold.train) : data.fc;
  const result = logregFc(fc, data.rois, data.dx, fold.train, fold.test, config.seed, config.motionAdjustment);
  const slope = config.motionAdjustment
    ? fitMotionSlope(
        result.crossFitted,
        fold.train.map((s) => data.dx[s]!),
        fold.train.map((s) => data.motion[s]!),
      )
    : null;
  const probability = Float32Array.from(result.probabilities, (p, k) =>
    slope ? shiftLogOdds(p, motionShift(slope, data.motion[fold.test[k]!]!)) : p,
  );
  return {
    vocabulary: { attributes: [] },
    history: [],
    bestEpoch: -1,
    bestValAuc: result.innerAuc,
    test: {
      probability,
      embedding: new Float32Array(0),
      dxMaps: new Float32Array(0),
      ownMaps: {},
    },
    trainEmbedding: new Float32Array(0),
  };
}

/** A finished fold read back from the project (resume). */
function storedResult(runs: RunRepository, runId: number, index: number, data: CohortData, fold: Fold): FoldResult {
  const stored = runs.storedFold(runId, index);
  const position = new Map(fold.test.map((s, k) => [data.subjectIds[s]!, k]));
  const r = data.rois;
  const probability = new Float32Array(fold.test.length);
  for (const p of stored.predictions) probability[position.get(p.subjectId)!] = p.score;
  const dxMaps = stored.maps.some((m) => m.token.startsWith('dx:')) ? new Float32Array(fold.test.length * 2 * r) : new Float32Array(0);
  const ownMaps: Record<string, Float32Array> = {};
  for (const m of stored.maps) {
    const k = position.get(m.subjectId)!;
    if (m.token === `dx:${data.labels.control}`) dxMaps.set(m.weights, k * 2 * r);
    else if (m.token === `dx:${data.labels.patient}`) dxMaps.set(m.weights, k * 2 * r + r);
    else if (m.token.startsWith('own:')) {
      const name = m.token.slice(4);
      ownMaps[name] ??= new Float32Array(fold.test.length * r).fill(Number.NaN);
      ownMaps[name].set(m.weights, k * r);
    }
  }
  return {
    probability,
    dxMaps,
    ownMaps,
    probes: probeValues((name) => stored.metrics[name] ?? Number.NaN),
    history: stored.epochs.map((e) => ({
      epoch: e.epoch,
      seconds: e.seconds,
      steps: 0,
      terms: JSON.parse(e.losses) as Record<string, number>,
      valAuc: e.valAuc ?? Number.NaN,
    })),
    bestEpoch: stored.bestEpoch,
    bestValAuc: stored.metrics.bestValAuc ?? Number.NaN,
  };
}

/**
 * Trains and evaluates one variant on a cohort: every fold (in trainer processes, one per core),
 * pooled out-of-fold metrics with bootstrap CIs, per-fold metrics, fairness per sensitive
 * attribute, the sex-leakage probe, attention maps, and (for a synthetic cohort) recovery of the
 * planted regions. Folds and a checkpoint per epoch are stored as they are produced, so an
 * interrupted run resumes (`{ resume: runId }`) where it stopped and ends with the same numbers.
 */
export async function runExperiment(store: ProjectStore, input: ExperimentInput, callbacks: RunCallbacks = {}): Promise<RunResult> {
  try {
    return await trainAndStoreRun(store, input, callbacks);
  } catch (error) {
    // A full disk refuses a fold's or the summary's transaction as a whole; the folds stored
    // before stay, and the run resumes from them once there is space.
    throw asWriteFailure(error, store.path, "the run's results");
  }
}

export interface RunCallbacks {
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  /** Called once the run is stored (created or reopened), before any fold trains. */
  onRun?: (runId: number) => void;
}

async function trainAndStoreRun(store: ProjectStore, input: ExperimentInput, callbacks: RunCallbacks): Promise<RunResult> {
  const runs = new RunRepository(store.db);
  const backend = await selectBackend();
  let runId: number;
  let cohortId: number;
  let protocol: Protocol;
  let config: ReturnType<typeof resolveVariant>;
  let data: CohortData;
  if ('resume' in input) {
    const saved = runs.config(input.resume);
    if (!saved) throw new Error(`No run ${input.resume} in this project.`);
    if (saved.status === 'done' || saved.status === 'running')
      throw new Error(`Run ${input.resume} is ${saved.status}; only interrupted, cancelled or failed runs can be resumed.`);
    runId = input.resume;
    cohortId = saved.cohortId;
    protocol = saved.config.protocol as Protocol;
    config = resolveVariant(TrainConfig.parse({ ...STORED_CONFIG_DEFAULTS, ...saved.config }));
    data = loadCohortData(store.db, cohortId, trainingDataOptions(config));
    runs.reopen(runId);
  } else {
    cohortId = input.cohortId;
    protocol = input.protocol;
    config = withMeasuredMotion(store.db, cohortId, resolveVariant(input.config));
    data = loadCohortData(store.db, cohortId, trainingDataOptions(config));
    checkSensitiveAttributes(sensitiveAttributeOptions(data.attributes), config.sensitive);
    checkDiagnosisCounts(data.dx, data.attributes.site!, protocol, data.labels);
    checkTrainingMemory(config, data.rois, data.subjectIds.length, backend.name);
    runId = runs.create({
      cohortId,
      name: input.name ?? `${config.variant} ${protocol} seed ${config.seed}`,
      variant: config.variant,
      config: { ...config, protocol },
      backend: backend.name,
      versions: { app: appVersion, source: SOURCE_FINGERPRINT, tfjs: tfjsVersion(), node: process.versions.node },
      seed: config.seed,
    });
  }
  callbacks.onRun?.(runId);
  try {
    const folds = experimentFolds(data, protocol, config.seed);
    const r = data.rois;
    const tasks: FoldTask[] = folds.map((fold, index) => ({
      projectPath: store.path,
      cohortId,
      backend: backend.name,
      index,
      split:
        config.variant === 'logreg-fc'
          ? { fit: fold.train, validation: [], test: fold.test }
          : {
              ...earlyStoppingSplit(data, fold.train, config.validationFraction, config.seed + index),
              test: fold.test,
            },
      config: { ...config, seed: config.seed * 100 + index },
    }));
    const results = new Array<FoldResult>(folds.length);
    const foldFraction = new Array<number>(folds.length).fill(0);
    let resumedFraction = 0;
    const progress = (index: number, fraction: number, epoch: EpochRecord | null, message: string): void => {
      foldFraction[index] = fraction;
      callbacks.onProgress?.({
        fold: index,
        folds: folds.length,
        epoch,
        message,
        fraction: foldFraction.reduce((a, b) => a + b, 0) / folds.length,
        resumedFraction,
      });
    };

    const record = (index: number, outcome: FoldOutcome): void => {
      const fold = folds[index]!;
      const { fit, validation } = tasks[index]!.split;
      const result: FoldResult = {
        probability: outcome.test.probability,
        dxMaps: outcome.test.dxMaps,
        ownMaps: outcome.test.ownMaps,
        probes: probeValues((name) =>
          outcome.trainEmbedding.length
            ? leakageProbe(data, LEAKAGE_PROBES[name], fit, outcome.trainEmbedding, fold.test, outcome.test.embedding)
            : Number.NaN,
        ),
        history: outcome.history,
        bestEpoch: outcome.bestEpoch,
        bestValAuc: outcome.bestValAuc,
      };
      results[index] = result;
      runs.saveFold(runId, {
        index,
        train: fit.map((s) => data.subjectIds[s]!),
        validation: validation.map((s) => data.subjectIds[s]!),
        test: fold.test.map((s) => data.subjectIds[s]!),
        bestEpoch: outcome.bestEpoch,
        epochs: outcome.history,
        predictions: fold.test.map((s, k) => {
          const p = outcome.test.probability[k]!;
          return {
            subjectId: data.subjectIds[s]!,
            score: p,
            predicted: p > 0.5 ? data.labels.patient : data.labels.control,
            probabilities: { [data.labels.control]: 1 - p, [data.labels.patient]: p },
          };
        }),
        maps: fold.test.flatMap((s, k) => [
          ...(outcome.test.dxMaps.length
            ? [
                {
                  subjectId: data.subjectIds[s]!,
                  token: `dx:${data.labels.control}`,
                  scope: 'subject' as const,
                  weights: outcome.test.dxMaps.slice(k * 2 * r, k * 2 * r + r),
                },
                {
                  subjectId: data.subjectIds[s]!,
                  token: `dx:${data.labels.patient}`,
                  scope: 'subject' as const,
                  weights: outcome.test.dxMaps.slice(k * 2 * r + r, (k + 1) * 2 * r),
                },
              ]
            : []),
          ...Object.entries(outcome.test.ownMaps)
            .filter(([, maps]) => !Number.isNaN(maps[k * r]!))
            .map(([name, maps]) => ({
              subjectId: data.subjectIds[s]!,
              token: `own:${name}`,
              scope: 'subject' as const,
              weights: maps.slice(k * r, (k + 1) * r),
            })),
        ]),
      });
      runs.saveMetrics(runId, [
        ...probeNames.map((name) => ({ scope: `fold:${index}`, name, value: result.probes[name] })),
        { scope: `fold:${index}`, name: 'bestValAuc', value: result.bestValAuc },
      ]);
      progress(index, 1, null, `Fold ${index + 1} of ${folds.length} done`);
    };

    const done = new Set(runs.doneFolds(runId));
    for (const index of done) {
      results[index] = storedResult(runs, runId, index, data, folds[index]!);
      foldFraction[index] = 1;
    }
    resumedFraction = done.size / folds.length;
    const pending = tasks.filter((task) => !done.has(task.index));
    if (config.variant === 'logreg-fc') {
      for (const task of pending) {
        if (callbacks.signal?.aborted) throw new JobCancelledError();
        progress(task.index, 0, null, `Fold ${task.index + 1} of ${folds.length}: choosing C by inner cross-validation`);
        record(task.index, await logregOutcome(data, folds[task.index]!, config));
        await new Promise((resolve) => setImmediate(resolve));
      }
    } else {
      for (const task of pending) {
        const saved = runs.checkpoint(runId, task.index);
        if (saved) task.resume = decodeCheckpoint(saved.weights, saved.state);
      }
      callbacks.onProgress?.({
        fold: pending[0]?.index ?? 0,
        folds: folds.length,
        epoch: null,
        message: `Training ${pending.length} fold${pending.length === 1 ? '' : 's'}`,
        fraction: foldFraction.reduce((a, b) => a + b, 0) / folds.length,
        resumedFraction,
      });
      await runFolds(data, pending, {
        signal: callbacks.signal,
        onEpoch: (index, epoch) => {
          runs.saveEpoch(runId, index, epoch);
          progress(index, (epoch.epoch + 1) / config.epochs, epoch, `Fold ${index + 1} of ${folds.length}, epoch ${epoch.epoch + 1}`);
        },
        onCheckpoint: (index, checkpoint) => runs.saveCheckpoint(runId, index, checkpoint.epoch, encodeCheckpoint(checkpoint)),
        onDone: record,
      });
    }
    return finishRun(runs, runId, data, folds, results, config, protocol, backend.name);
  } catch (error) {
    const cancelled = error instanceof JobCancelledError;
    const reason = describeWriteFailure(error, store.path, "the run's results") ?? (error as Error).message;
    runs.finish(runId, cancelled ? 'cancelled' : 'failed', cancelled ? null : reason);
    throw error;
  }
}

/** Pools the folds' results into the run's metrics, fairness, leakage and maps, and stores them. */
function finishRun(
  runs: RunRepository,
  runId: number,
  data: CohortData,
  folds: Fold[],
  results: FoldResult[],
  config: ReturnType<typeof resolveVariant>,
  protocol: Protocol,
  backend: string,
): RunResult {
  const n = data.dx.length;
  const r = data.rois;
  const oof = new Float64Array(n).fill(Number.NaN);
  const dxMaps = new Float32Array(n * 2 * r).fill(Number.NaN);
  const ownMaps: Record<string, Float32Array> = {};
  const foldMetrics = folds.map((fold, index) => {
    const result = results[index]!;
    fold.test.forEach((s, k) => {
      oof[s] = result.probability[k]!;
      if (result.dxMaps.length) dxMaps.set(result.dxMaps.subarray(k * 2 * r, (k + 1) * 2 * r), s * 2 * r);
      for (const [name, maps] of Object.entries(result.ownMaps)) {
        ownMaps[name] ??= new Float32Array(n * r).fill(Number.NaN);
        ownMaps[name].set(maps.subarray(k * r, (k + 1) * r), s * r);
      }
    });
    return classificationMetrics(
      fold.test.map((s) => data.dx[s]!),
      Array.from(result.probability),
    );
  });
  const tested = Array.from({ length: n }, (_, i) => i).filter((i) => Number.isFinite(oof[i]!));
  const labels = tested.map((i) => data.dx[i]!);
  const scores = tested.map((i) => oof[i]!);
  const fairness = Object.fromEntries(
    config.sensitive.map((name) => {
      const groups = tested.map((i) => data.attributes[name]![i] ?? null);
      return [
        name,
        {
          ...fairnessReport(labels, scores, groups),
          ci: fairnessGapIntervals(labels, scores, groups, 500, config.seed),
          dEOddsNull: equalisedOddsNull(labels, scores, groups, 500, config.seed),
        },
      ];
    }),
  );
  const maps = config.ttca && config.variant !== 'logreg-fc' ? groupMaps(data, dxMaps, ownMaps, tested) : null;
  const epochSeconds = results.flatMap((result) => result.history.map((h) => h.seconds));
  const result: RunResult = {
    run: runId,
    variant: config.variant,
    protocol,
    backend,
    subjects: tested.length,
    metrics: metricsWithCi(labels, scores, 1000, config.seed),
    foldMetrics: Object.fromEntries(
      METRIC_NAMES.map((name) => [name, meanSd(foldMetrics.map((m) => m[name]))]),
    ) as RunResult['foldMetrics'],
    fairness,
    leakage: probeValues((name) => meanSd(results.map((f) => f.probes[name]))),
    epochSeconds: epochSeconds.length ? epochSeconds.reduce((a, b) => a + b, 0) / epochSeconds.length : Number.NaN,
    folds: folds.map((fold, index) => ({
      name: fold.name,
      train: fold.train.length,
      test: fold.test.length,
      bestEpoch: results[index]!.bestEpoch,
      valAuc: results[index]!.bestValAuc,
      auc: foldMetrics[index]!.auc,
      metrics: metricsWithCi(
        folds[index]!.test.map((s) => data.dx[s]!),
        Array.from(results[index]!.probability),
        1000,
        config.seed + index,
      ),
    })),
    maps,
    ...(data.groundTruth && maps ? { recovery: attentionRecovery(maps, data.groundTruth.pDx, data.labels) } : {}),
    config: { ...config, protocol },
  };
  runs.saveMetrics(runId, [
    ...METRIC_NAMES.map((name) => ({
      scope: 'pooled',
      name,
      value: result.metrics[name].value,
      ciLow: result.metrics[name].ciLow,
      ciHigh: result.metrics[name].ciHigh,
    })),
    ...Object.entries(fairness).flatMap(([attribute, report]) =>
      (['dDP', 'dEOpp', 'dEOdds', 'dAUC'] as const).map((name) => ({
        scope: `fairness:${attribute}`,
        name,
        value: report[name],
        detail: name === 'dEOdds' ? report.groups : undefined,
      })),
    ),
    ...probeNames.map((name) => ({ scope: 'leakage', name, value: result.leakage[name].mean })),
    { scope: 'run', name: 'summary', value: null, detail: result },
  ]);
  runs.finish(runId, 'done');
  return result;
}
