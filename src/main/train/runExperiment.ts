import { version as appVersion } from '../../../package.json';
import { attentionRecovery, groupMaps, type GroupMaps } from './groupMaps';
import { fairnessReport, type FairnessReport } from '../eval/fairness';
import { leaveOneSiteOut, stratifiedKFold, validationSplit, type Fold } from '../eval/folds';
import { fitLogistic } from '../eval/logisticRegression';
import { auc, classificationMetrics, meanSd, METRIC_NAMES, metricsWithCi, type MetricName, type WithCi } from '../eval/metrics';
import { JobCancelledError } from '../jobs/jobManager';
import { resolveVariant, type TrainConfig } from '../model/trainConfig';
import { RunRepository } from '../store/runRepository';
import type { ProjectStore } from '../store/projectStore';
import { selectBackend, tfjsVersion } from '../tf/backend';
import { loadCohortData, type CohortData } from './cohortData';
import { logregFc } from '../model/logregFc';
import { runFolds } from './foldRunner';
import type { FoldTask } from './foldTask';
import type { EpochRecord, FoldOutcome } from './trainFold';

export type Protocol = 'kfold5' | 'loso';

export interface RunProgress {
  fold: number;
  folds: number;
  /** 0..1 over all folds (an epoch counts 1/epochs of its fold; early stopping completes a fold). */
  fraction: number;
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
  fairness: Record<string, FairnessReport>;
  leakage: { sexProbeAuc: { mean: number; sd: number } };
  epochSeconds: number;
  folds: { name: string; train: number; test: number; bestEpoch: number; valAuc: number; auc: number }[];
  maps: GroupMaps | null;
  recovery?: ReturnType<typeof attentionRecovery>;
}

/** logreg-fc on one fold, in the shape of a network's fold outcome (no epochs, maps or embeddings). */
function logregOutcome(data: CohortData, fold: Fold, seed: number): FoldOutcome {
  const result = logregFc(data.fc, data.rois, data.dx, fold.train, fold.test, seed);
  return {
    vocabulary: { attributes: [] },
    history: [],
    bestEpoch: -1,
    bestValAuc: result.innerAuc,
    test: {
      probability: Float32Array.from(result.probabilities),
      embedding: new Float32Array(0),
      dxMaps: new Float32Array(0),
      ownMaps: {},
    },
    trainEmbedding: new Float32Array(0),
  };
}

/** The folds every variant shares for a cohort, protocol and seed (scikit-learn-identical K-fold). */
export function experimentFolds(data: CohortData, protocol: Protocol, seed: number): Fold[] {
  if (protocol === 'loso') return leaveOneSiteOut(data.attributes.site!);
  const strata = Array.from(data.dx, (d, i) => `${d}|${data.attributes.site![i]}`);
  return stratifiedKFold(strata, 5, seed);
}

function sexProbe(
  data: CohortData,
  trainSubjects: number[],
  trainEmbedding: Float32Array,
  testSubjects: number[],
  testEmbedding: Float32Array,
): number {
  const width = trainEmbedding.length / trainSubjects.length;
  const pick = (subjects: number[], embedding: Float32Array) => {
    const rows = subjects.map((s, k) => [s, k] as const).filter(([s]) => data.attributes.sex![s] !== null);
    const x = new Float32Array(rows.length * width);
    rows.forEach(([, k], r) => x.set(embedding.subarray(k * width, (k + 1) * width), r * width));
    return { x, y: rows.map(([s]) => (data.attributes.sex![s] === 'female' ? 1 : 0)) };
  };
  const train = pick(trainSubjects, trainEmbedding);
  const test = pick(testSubjects, testEmbedding);
  if (new Set(train.y).size < 2 || new Set(test.y).size < 2) return Number.NaN;
  return auc(test.y, fitLogistic(train.x, train.y, width).predict(test.x, test.y.length));
}

/**
 * Trains and evaluates one variant on a cohort: every fold, pooled out-of-fold metrics with
 * bootstrap CIs, per-fold metrics, fairness per sensitive attribute, the sex-leakage probe,
 * attention maps, and (for a synthetic cohort) recovery of the planted regions. Everything is
 * stored in the project as it is produced.
 */
export async function runExperiment(
  store: ProjectStore,
  input: { cohortId: number; config: TrainConfig; protocol: Protocol; name?: string },
  callbacks: { signal?: AbortSignal; onProgress?: (progress: RunProgress) => void } = {},
): Promise<RunResult> {
  const config = resolveVariant(input.config);
  const backend = await selectBackend();
  const data = loadCohortData(store.db, input.cohortId);
  const runs = new RunRepository(store.db);
  const runId = runs.create({
    cohortId: input.cohortId,
    name: input.name ?? `${config.variant} ${input.protocol} seed ${config.seed}`,
    variant: config.variant,
    config: { ...config, protocol: input.protocol },
    backend: backend.name,
    versions: { app: appVersion, tfjs: tfjsVersion(), node: process.versions.node },
    seed: config.seed,
  });
  try {
    const folds = experimentFolds(data, input.protocol, config.seed);
    const n = data.dx.length;
    const oof = new Float64Array(n).fill(Number.NaN);
    const foldRows: RunResult['folds'] = new Array(folds.length);
    const foldMetrics: Record<string, number>[] = [];
    const probes: number[] = [];
    const epochSeconds: number[] = [];
    const dxMaps = new Float32Array(n * 2 * data.rois).fill(Number.NaN);
    const ownMaps: Record<string, Float32Array> = {};
    const strata = Array.from(data.dx, (d, i) => `${d}|${data.attributes.site![i]}`);
    const tasks: FoldTask[] = folds.map((fold, index) => ({
      projectPath: store.path,
      cohortId: input.cohortId,
      backend: backend.name,
      index,
      split:
        config.variant === 'logreg-fc'
          ? { fit: fold.train, validation: [], test: fold.test }
          : {
              ...validationSplit(fold.train, strata, Array.from(data.dx, String), config.validationFraction, config.seed + index),
              test: fold.test,
            },
      config: { ...config, seed: config.seed * 100 + index },
    }));
    const r = data.rois;
    const foldFraction = new Array<number>(folds.length).fill(0);
    const progress = (index: number, fraction: number, epoch: EpochRecord | null, message: string): void => {
      foldFraction[index] = fraction;
      callbacks.onProgress?.({
        fold: index,
        folds: folds.length,
        epoch,
        message,
        fraction: foldFraction.reduce((a, b) => a + b, 0) / folds.length,
      });
    };
    const record = (index: number, outcome: FoldOutcome): void => {
      const fold = folds[index]!;
      const { fit, validation } = tasks[index]!.split;
      fold.test.forEach((s, k) => (oof[s] = outcome.test.probability[k]!));
      const metrics = classificationMetrics(
        fold.test.map((s) => data.dx[s]!),
        outcome.test.probability,
      );
      foldMetrics.push(metrics);
      if (outcome.trainEmbedding.length) probes.push(sexProbe(data, fit, outcome.trainEmbedding, fold.test, outcome.test.embedding));
      epochSeconds.push(...outcome.history.map((h) => h.seconds));
      fold.test.forEach((s, k) => {
        if (outcome.test.dxMaps.length) dxMaps.set(outcome.test.dxMaps.subarray(k * 2 * r, (k + 1) * 2 * r), s * 2 * r);
        for (const [name, maps] of Object.entries(outcome.test.ownMaps)) {
          ownMaps[name] ??= new Float32Array(n * r).fill(Number.NaN);
          ownMaps[name].set(maps.subarray(k * r, (k + 1) * r), s * r);
        }
      });
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
        maps: outcome.test.dxMaps.length
          ? fold.test.flatMap((s, k) => [
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
            ])
          : [],
      });
      foldRows[index] = {
        name: fold.name,
        train: fit.length,
        test: fold.test.length,
        bestEpoch: outcome.bestEpoch,
        valAuc: outcome.bestValAuc,
        auc: metrics.auc,
      };
      progress(index, 1, null, `Fold ${index + 1} of ${folds.length} done`);
    };
    if (config.variant === 'logreg-fc') {
      for (const [index, fold] of folds.entries()) {
        if (callbacks.signal?.aborted) throw new JobCancelledError();
        progress(index, 0, null, `Fold ${index + 1} of ${folds.length}: choosing C by inner cross-validation`);
        record(index, logregOutcome(data, fold, config.seed));
        await new Promise((resolve) => setImmediate(resolve));
      }
    } else {
      await runFolds(data, tasks, {
        signal: callbacks.signal,
        onEpoch: (index, epoch) =>
          progress(index, (epoch.epoch + 1) / config.epochs, epoch, `Fold ${index + 1} of ${folds.length}, epoch ${epoch.epoch + 1}`),
        onDone: record,
      });
    }

    const tested = Array.from({ length: n }, (_, i) => i).filter((i) => Number.isFinite(oof[i]!));
    const labels = tested.map((i) => data.dx[i]!);
    const scores = tested.map((i) => oof[i]!);
    const fairness = Object.fromEntries(
      config.sensitive.map((name) => [
        name,
        fairnessReport(
          labels,
          scores,
          tested.map((i) => data.attributes[name]![i] ?? null),
        ),
      ]),
    );
    const maps = config.ttca && config.variant !== 'logreg-fc' ? groupMaps(data, dxMaps, ownMaps, tested) : null;
    const result: RunResult = {
      run: runId,
      variant: config.variant,
      protocol: input.protocol,
      backend: backend.name,
      subjects: tested.length,
      metrics: metricsWithCi(labels, scores, 1000, config.seed),
      foldMetrics: Object.fromEntries(
        METRIC_NAMES.map((name) => [name, meanSd(foldMetrics.map((m) => m[name]!))]),
      ) as RunResult['foldMetrics'],
      fairness,
      leakage: { sexProbeAuc: meanSd(probes) },
      epochSeconds: epochSeconds.length ? epochSeconds.reduce((a, b) => a + b, 0) / epochSeconds.length : Number.NaN,
      folds: foldRows,
      maps,
      ...(data.groundTruth && maps ? { recovery: attentionRecovery(maps, data.groundTruth.pDx, data.labels) } : {}),
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
      { scope: 'leakage', name: 'sexProbeAuc', value: result.leakage.sexProbeAuc.mean },
      { scope: 'run', name: 'summary', value: null, detail: result },
    ]);
    runs.finish(runId, 'done');
    return result;
  } catch (error) {
    const cancelled = error instanceof JobCancelledError;
    runs.finish(runId, cancelled ? 'cancelled' : 'failed', cancelled ? null : (error as Error).message);
    throw error;
  }
}
