import { parentPort } from 'node:worker_threads';
import { readSubjectData, serialiseError, type SubjectTask } from './subjectData';

/** Worker-thread entry: reads subjects' files as the import pool sends them. */
parentPort?.on('message', (message: { id: number; task: SubjectTask }) => {
  try {
    const data = readSubjectData(message.task);
    const transfer = [data.matrix.buffer, data.missing.buffer, ...(data.series ? [data.series.buffer] : [])] as ArrayBuffer[];
    parentPort!.postMessage({ id: message.id, data }, transfer);
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: serialiseError(error) });
  }
});
