import { parentPort, workerData } from 'node:worker_threads';
import { readSubjectData, serialiseError, type SubjectTask } from './subjectData';
import { SpoolWriter } from './subjectSpool';

/** This thread's spool file, opened by the pool (file descriptors are shared by the process's threads). */
const spool = new SpoolWriter((workerData as { spoolFd: number }).spoolFd);

/** Worker-thread entry: reads subjects' files as the import pool sends them. */
parentPort?.on('message', (message: { id: number; task: SubjectTask }) => {
  try {
    parentPort!.postMessage({ id: message.id, data: readSubjectData(message.task, spool) });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: serialiseError(error) });
  }
});
