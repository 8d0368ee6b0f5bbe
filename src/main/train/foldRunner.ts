import { availableParallelism } from 'node:os';
import { builtEntry } from '../builtEntry';
import { JobCancelledError } from '../jobs/jobManager';
import { isOutOfMemory } from '../model/memoryEstimate';
import type { CohortData } from './cohortData';
import type { FoldTask, TrainerMessage } from './foldTask';
import { launchTrainer } from './trainerLauncher';
import { trainFold, type EpochRecord, type FoldCheckpoint, type FoldOutcome } from './trainFold';

export interface FoldRunnerOptions {
  signal?: AbortSignal;
  onEpoch?: (index: number, epoch: EpochRecord) => void;
  onCheckpoint?: (index: number, checkpoint: FoldCheckpoint) => void;
  onDone?: (index: number, outcome: FoldOutcome) => void;
  /** Trainer processes at once; defaults to one per core. */
  processes?: number;
}

function inChildProcess(script: string, task: FoldTask, options: FoldRunnerOptions): Promise<FoldOutcome> {
  return new Promise((resolve, reject) => {
    const child = launchTrainer(script);
    let settled = false;
    const onAbort = (): void => {
      child.send({ type: 'cancel' });
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (error: Error | null, outcome?: FoldOutcome): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      child.kill();
      if (error) reject(error);
      else resolve(outcome!);
    };
    child.onMessage((message: TrainerMessage) => {
      if (message.type === 'epoch') options.onEpoch?.(message.index, message.epoch);
      else if (message.type === 'checkpoint') options.onCheckpoint?.(message.index, message.checkpoint);
      else if (message.type === 'done') finish(null, message.outcome);
      else finish(message.message === 'cancelled' ? new JobCancelledError() : new Error(message.message));
    });
    child.onExit((reason) => finish(new Error(`The trainer process for fold ${task.index + 1} stopped unexpectedly (${reason}).`)));
    child.send(task);
  });
}

/** An allocation failure in a fold, worded for people; the app and the other folds' data are unharmed. */
function outOfMemoryError(task: FoldTask, cause: unknown): Error {
  const { batchSize, d, heads, layers } = task.config;
  return new Error(
    `TensorFlow.js ran out of memory training fold ${task.index + 1} (batch size ${batchSize}, d ${d}, ${heads} heads, ${layers} layers): ` +
      `the run stopped, and the app is unaffected. Lower the batch size or the model size and train again. (${(cause as Error).message})`,
    { cause },
  );
}

/**
 * Trains folds in trainer processes, as many at once as there are cores (each runs TensorFlow.js
 * on one thread). From source (tests) the folds run in this process, one after another.
 */
export async function runFolds(data: CohortData, tasks: FoldTask[], options: FoldRunnerOptions = {}): Promise<void> {
  const script = builtEntry('trainerProcess.js', import.meta.url);
  // The first failure stops the other folds' processes too.
  const failed = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, failed.signal]) : failed.signal;
  const runOne = (task: FoldTask): Promise<FoldOutcome> =>
    (script
      ? inChildProcess(script, task, { ...options, signal })
      : trainFold(data, task.split, task.config, {
          signal,
          resume: task.resume,
          onEpoch: (epoch) => options.onEpoch?.(task.index, epoch),
          onCheckpoint: (checkpoint) => options.onCheckpoint?.(task.index, checkpoint),
        })
    ).catch((error: unknown) => {
      throw isOutOfMemory(error) ? outOfMemoryError(task, error) : error;
    });
  const width = script ? Math.max(1, Math.min(options.processes ?? availableParallelism(), tasks.length)) : 1;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      if (signal.aborted) throw new JobCancelledError();
      const task = tasks[next++]!;
      options.onDone?.(task.index, await runOne(task));
    }
  };
  try {
    await Promise.all(Array.from({ length: width }, lane));
  } catch (error) {
    failed.abort();
    throw error;
  }
}
