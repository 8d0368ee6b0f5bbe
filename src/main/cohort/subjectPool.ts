import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { builtEntry } from '../builtEntry';
import { JobCancelledError } from '../jobs/jobManager';
import { deserialiseError, readSubjectData, type SubjectData, type SubjectTask } from './subjectData';

export interface PoolOptions {
  signal?: AbortSignal;
  /** Worker threads to use; 0 reads inline. Defaults to one per core. */
  workers?: number;
  onDone?: (done: number, total: number) => void;
}

/** Reads every subject's file on all cores, keeping the tasks' order. The first error stops the pool. */
export async function readSubjects(tasks: SubjectTask[], options: PoolOptions = {}): Promise<SubjectData[]> {
  const script = builtEntry('subjectWorker.js', import.meta.url);
  const count = Math.min(tasks.length, options.workers ?? availableParallelism());
  if (script === null || count === 0) return readInline(tasks, options);

  const results = new Array<SubjectData>(tasks.length);
  const workers = Array.from({ length: count }, () => new Worker(script));
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(new JobCancelledError());
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const feed = (worker: Worker): void => {
        if (options.signal?.aborted) return;
        if (next >= tasks.length) {
          if (done === tasks.length) resolve();
          return;
        }
        const id = next++;
        worker.postMessage({ id, task: tasks[id] });
      };
      for (const worker of workers) {
        worker.on('message', (message: { id: number; data?: SubjectData; error?: Parameters<typeof deserialiseError>[0] }) => {
          if (message.error) return reject(deserialiseError(message.error));
          results[message.id] = message.data!;
          done += 1;
          options.onDone?.(done, tasks.length);
          feed(worker);
        });
        worker.on('error', reject);
        feed(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}

async function readInline(tasks: SubjectTask[], options: PoolOptions): Promise<SubjectData[]> {
  const results: SubjectData[] = [];
  for (const task of tasks) {
    if (options.signal?.aborted) throw new JobCancelledError();
    results.push(readSubjectData(task));
    options.onDone?.(results.length, tasks.length);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return results;
}
