import { loadCohortData, trainingDataOptions } from './cohortData';
import type { FoldTask, TrainerMessage } from './foldTask';
import { trainFold } from './trainFold';
import { ProjectStore } from '../store/projectStore';
import { selectBackend } from '../tf/backend';
import { JobCancelledError } from '../jobs/jobManager';

/**
 * Entry of a trainer process (child_process.fork): trains the folds it is sent, reporting each
 * epoch, so that a crash or an out-of-memory error in TensorFlow never takes the app down.
 */
const controller = new AbortController();

/**
 * The least time between two checkpoints sent to the app. A checkpoint of the default model is
 * about 21 MB (weights, two optimiser moments, the best weights); sending one pauses training for
 * under a second, and the app takes about 0.4 s to store it. A run killed mid-fold resumes from at
 * most this long ago.
 */
const CHECKPOINT_SECONDS = 20;

/** Set when Electron started this process with utilityProcess.fork (the desktop app). */
const parentPort = (
  process as unknown as {
    parentPort?: { postMessage(message: unknown): void; on(event: 'message', listener: (event: { data: unknown }) => void): void };
  }
).parentPort;

/**
 * Sends a message to the app; the promise settles once it has left this process. A forked child
 * writes to its IPC pipe only between training steps, one pipe buffer at a time, so a checkpoint
 * that is not waited for holds up every later message until the fold ends.
 */
const send = (message: TrainerMessage): Promise<void> =>
  new Promise((resolve, reject) => {
    if (parentPort) {
      parentPort.postMessage(message);
      resolve();
    } else if (!process.send) resolve();
    else process.send(message, (error: Error | null) => (error ? reject(error) : resolve()));
  });

function onTask(listener: (message: FoldTask | { type: 'cancel' }) => void): void {
  if (parentPort) parentPort.on('message', (event) => listener(event.data as FoldTask | { type: 'cancel' }));
  else process.on('message', listener);
}

// If the app dies, its trainers stop too (their last checkpoint is in the project). Electron ends
// its utility processes itself.
process.on('disconnect', () => process.exit(1));

onTask((message) => {
  if ('type' in message) {
    controller.abort();
    return;
  }
  void (async () => {
    try {
      await selectBackend(message.backend);
      const store = ProjectStore.open(message.projectPath);
      const data = (() => {
        try {
          return loadCohortData(store.db, message.cohortId, trainingDataOptions(message.config));
        } finally {
          store.close();
        }
      })();
      const outcome = await trainFold(data, message.split, message.config, {
        signal: controller.signal,
        onEpoch: (epoch) => void send({ type: 'epoch', index: message.index, epoch }),
        onCheckpoint: (checkpoint) => send({ type: 'checkpoint', index: message.index, checkpoint }),
        checkpointSeconds: CHECKPOINT_SECONDS,
        resume: message.resume,
      });
      await send({ type: 'done', index: message.index, outcome });
    } catch (error) {
      void send({
        type: 'failed',
        index: message.index,
        message: error instanceof JobCancelledError ? 'cancelled' : (error as Error).message,
      });
    }
  })();
});
