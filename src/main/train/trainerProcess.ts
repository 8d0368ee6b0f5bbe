import { loadCohortData } from './cohortData';
import { needsTimeSeries } from './timeWindows';
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
 * about 21 MB (weights, two optimiser moments, the best weights); storing one took the app's process
 * 0.4 s (SQLite alone, with two trainers running), and one per epoch from every fold at once kept it behind the trainers
 * (epochs reached the project in bursts, tens of seconds late). A run killed mid-fold resumes from
 * at most this long ago.
 */
const CHECKPOINT_SECONDS = 20;

/** Set when Electron started this process with utilityProcess.fork (the desktop app). */
const parentPort = (
  process as unknown as {
    parentPort?: { postMessage(message: unknown): void; on(event: 'message', listener: (event: { data: unknown }) => void): void };
  }
).parentPort;

const send = (message: TrainerMessage): void => {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
};

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
          return loadCohortData(store.db, message.cohortId, { timeSeries: needsTimeSeries(message.config) });
        } finally {
          store.close();
        }
      })();
      const outcome = await trainFold(data, message.split, message.config, {
        signal: controller.signal,
        onEpoch: (epoch) => send({ type: 'epoch', index: message.index, epoch }),
        onCheckpoint: (checkpoint) => send({ type: 'checkpoint', index: message.index, checkpoint }),
        checkpointSeconds: CHECKPOINT_SECONDS,
        resume: message.resume,
      });
      send({ type: 'done', index: message.index, outcome });
    } catch (error) {
      send({ type: 'failed', index: message.index, message: error instanceof JobCancelledError ? 'cancelled' : (error as Error).message });
    }
  })();
});
