import { parentPort, workerData } from 'node:worker_threads';
import { readSubjectData, serialiseError } from './subjectData';
import { SpoolWriter } from './subjectSpool';
import { claimTask, type TaskBatch } from './taskBatch';

/** This thread's spool file, opened by the pool (file descriptors are shared by the process's threads). */
const spool = new SpoolWriter((workerData as { spoolFd: number }).spoolFd);

/**
 * Worker-thread entry: reads subjects' files from each batch the import pool sends, until none is
 * left to claim. Told to stop, it answers that it is done with the spool (the pool then closes it).
 */
parentPort?.on('message', (message: TaskBatch | 'stop') => {
  if (message === 'stop') return parentPort!.postMessage({ stopped: true });
  const claims = new Int32Array(message.claims);
  for (let index = claimTask(claims, message.tasks.length); index !== null; index = claimTask(claims, message.tasks.length)) {
    try {
      parentPort!.postMessage({ batch: message.id, index, data: readSubjectData(message.tasks[index]!, spool) });
    } catch (error) {
      parentPort!.postMessage({ batch: message.id, index, error: serialiseError(error) });
    }
  }
});
