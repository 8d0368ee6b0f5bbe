import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  CohortRef,
  DiagnosisGroups,
  CompareRuns,
  ConfoundCheck,
  EpochPoint,
  JobStatus,
  PredictionTable,
  RenameRun,
  RunComparison,
  RunListItem,
  RunPrediction,
  RunRef,
  RunSummary,
  RunTag,
  SensitiveAttributeOption,
  TrainRequest,
} from '../../shared/api';
import { pairedAucDifference, samePairing } from '../eval/compareRuns';
import { runConfoundChecks } from '../eval/confounds';
import { overSeeds, overSeedsRows } from '../eval/overSeeds';
import { predictionTable } from '../eval/predictionTable';
import { storedComparedRun } from '../eval/storedComparedRun';
import { TrainConfig } from '../model/trainConfig';
import { RunRepository } from '../store/runRepository';
import type { JobContext } from '../jobs/jobManager';
import { checkTrainable, cohortDiagnosisGroups } from '../train/diagnosisGroups';
import { runExperiment, type RunProgress } from '../train/runExperiment';
import { checkSensitiveAttributes, cohortSensitiveAttributes } from '../train/sensitiveAttributes';
import { procedure, router } from './trpc';

/** Turns a run's progress into the job's progress, message and live epoch points. */
function reporter(job: JobContext): (progress: RunProgress) => void {
  return (p) => {
    job.progress(
      p.fraction,
      p.epoch ? `${p.message}: loss ${p.epoch.terms.loss?.toFixed(4)}, validation AUC ${p.epoch.valAuc.toFixed(3)}` : p.message,
      p.resumedFraction,
    );
    if (p.epoch) {
      job.epoch({
        fold: p.fold,
        epoch: p.epoch.epoch,
        seconds: p.epoch.seconds,
        valAuc: Number.isFinite(p.epoch.valAuc) ? p.epoch.valAuc : null,
        terms: p.epoch.terms,
      });
    }
  };
}

/** What a query read of a finished run; undefined (no finished run of that id) is NOT_FOUND. */
function finishedRun<T>(value: T | undefined): T {
  if (value === undefined) throw new TRPCError({ code: 'NOT_FOUND', message: 'No finished run with that id.' });
  return value;
}

export const runsRouter = router({
  /**
   * The project's runs. A run left 'running' by a process that has since died (a CLI run killed
   * while the project is open here) is marked interrupted first, so the list never shows it running.
   */
  list: procedure.output(z.array(RunListItem)).query(({ ctx }) => {
    const runs = new RunRepository(ctx.core.store.db);
    if (ctx.core.store.readOnlyCopyOf === null) runs.markInterrupted();
    return runs.list();
  }),
  /** A finished run's stored result: metrics with CIs, fairness, leakage, maps. */
  result: procedure
    .input(RunRef)
    .output(RunSummary)
    .query(({ ctx, input }) => {
      return RunSummary.parse(finishedRun(new RunRepository(ctx.core.store.db).summary(input.runId)));
    }),
  /** A run's stored epochs (every loss term and the validation AUC), also while it is still training. */
  epochs: procedure
    .input(RunRef)
    .output(z.array(EpochPoint))
    .query(({ ctx, input }) => new RunRepository(ctx.core.store.db).epochs(input.runId)),
  /** The cohort's columns that can serve as sensitive attributes, with their groups. */
  /** The cohort's control group and patient groups, so that a run can train against some of them. */
  diagnosisGroups: procedure
    .input(CohortRef)
    .output(DiagnosisGroups)
    .query(({ ctx, input }) => cohortDiagnosisGroups(ctx.core.store.db, input.cohortId)),
  sensitiveAttributes: procedure
    .input(CohortRef)
    .output(z.array(SensitiveAttributeOption))
    .query(({ ctx, input }) => cohortSensitiveAttributes(ctx.core.store.db, input.cohortId)),
  predictions: procedure
    .input(RunRef)
    .output(z.array(RunPrediction))
    .query(({ ctx, input }) => new RunRepository(ctx.core.store.db).predictions(input.runId)),
  predictionTable: procedure
    .input(RunRef)
    .output(PredictionTable)
    .query(({ ctx, input }) => {
      return finishedRun(predictionTable(ctx.core.store.db, input.runId));
    }),
  confounds: procedure
    .input(RunRef)
    .output(z.array(ConfoundCheck))
    .query(({ ctx, input }) => {
      return finishedRun(runConfoundChecks(ctx.core.store.db, input.runId));
    }),
  /** Several finished runs side by side; differences against the first are paired when their folds are identical. */
  compare: procedure
    .input(CompareRuns)
    .output(RunComparison)
    .query(({ ctx, input }) => {
      const repository = new RunRepository(ctx.core.store.db);
      const rows = repository.list();
      const entries = input.runIds.map((id) => {
        const row = rows.find((r) => r.id === id);
        if (repository.summary(id) === undefined || !row)
          throw new TRPCError({ code: 'NOT_FOUND', message: `Run ${id} has no finished result.` });
        const { run, summary: result } = storedComparedRun(repository, id, row.seed);
        return { row, result, run, scored: run.scored };
      });
      const bySeed = overSeeds(entries.map(({ row, result, run }) => ({ run, cohortId: row.cohortId, protocol: result.protocol })));
      const [first, ...rest] = entries;
      const paired = rest.every((entry) => samePairing(first!.scored, entry.scored));
      return {
        runs: entries.map(({ row, result }) => ({
          id: row.id,
          name: row.name,
          variant: result.variant,
          auc: result.metrics.auc.value,
          balancedAcc: result.metrics.balancedAcc.value,
          dEOdds: Object.fromEntries(Object.entries(result.fairness).map(([attribute, report]) => [attribute, report.dEOdds])),
          leakage: result.leakage.sexProbeAuc.mean,
          siteLeakage: result.leakage.siteProbeAuc?.mean ?? null,
        })),
        paired,
        overSeeds: bySeed && overSeedsRows(bySeed),
        differences: paired
          ? rest.map((entry) => {
              const d = pairedAucDifference(first!.scored, entry.scored);
              const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
              return {
                id: entry.row.id,
                aucDifference: finite(d.difference),
                ciLow: finite(d.ciLow),
                ciHigh: finite(d.ciHigh),
                foldDifferences: d.foldDifferences.map(finite),
              };
            })
          : [],
      };
    }),
  rename: procedure.input(RenameRun).mutation(({ ctx, input }) => {
    if (!new RunRepository(ctx.core.store.db).rename(input.runId, input.name))
      throw new TRPCError({ code: 'NOT_FOUND', message: 'No such run.' });
  }),
  addTag: procedure.input(RunTag).mutation(({ ctx, input }) => {
    if (!new RunRepository(ctx.core.store.db).addTag(input.runId, input.tag))
      throw new TRPCError({ code: 'NOT_FOUND', message: 'No such run.' });
  }),
  removeTag: procedure.input(RunTag).mutation(({ ctx, input }) => {
    if (!new RunRepository(ctx.core.store.db).removeTag(input.runId, input.tag))
      throw new TRPCError({ code: 'NOT_FOUND', message: `Run ${input.runId} has no tag "${input.tag}".` });
  }),
  delete: procedure.input(RunRef).mutation(({ ctx, input }) => {
    if (!new RunRepository(ctx.core.store.db).delete(input.runId)) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: 'No such run, or it is still running (cancel it first).' });
    }
  }),
  /** Resumes an interrupted (or cancelled, or failed) run from its stored folds and checkpoints. */
  resume: procedure
    .input(RunRef)
    .output(JobStatus)
    .mutation(({ ctx, input }) =>
      ctx.core.jobs.start('train', `Resuming run ${input.runId}`, (job) =>
        runExperiment(
          ctx.core.store,
          { resume: input.runId },
          { signal: job.signal, onProgress: reporter(job), onRun: (runId) => job.linkRun(runId) },
        ),
      ),
    ),
  /** Trains and evaluates a variant as a job, with progress per fold and epoch, and cancellation. */
  train: procedure
    .input(TrainRequest)
    .output(JobStatus)
    .mutation(({ ctx, input }) => {
      const config = TrainConfig.safeParse(input.config);
      if (!config.success) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `Invalid configuration: ${config.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        });
      }
      try {
        const attributes = cohortSensitiveAttributes(ctx.core.store.db, input.cohortId);
        checkSensitiveAttributes(attributes, config.data.sensitive);
        checkTrainable(ctx.core.store.db, input.cohortId, config.data.patientGroups, input.protocol);
      } catch (error) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: (error as Error).message });
      }
      return ctx.core.jobs.start('train', input.name ?? `Training ${config.data.variant}`, (job) =>
        ctx.core.trainingQueue.run(job, () =>
          runExperiment(
            ctx.core.store,
            { cohortId: input.cohortId, config: config.data, protocol: input.protocol, name: input.name },
            { signal: job.signal, onProgress: reporter(job), onRun: (runId) => job.linkRun(runId) },
          ),
        ),
      );
    }),
});
