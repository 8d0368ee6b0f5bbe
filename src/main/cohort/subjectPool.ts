import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { builtEntry } from '../builtEntry';
import { JobCancelledError } from '../jobs/jobManager';
import { deserialiseError, readSubjectData, type SubjectData, type SubjectTask } from './subjectData';

export interface ReadOptions {
  signal?: AbortSignal;
  onDone?: (done: number, total: number) => void;
}

type WorkerMessage = { id: number; data?: SubjectData; error?: Parameters<typeof deserialiseError>[0] };

/**
 * Worker threads that read subjects' files and compute their connectivity. They start when the
 * pool is made, so their start-up overlaps whatever the caller does before `read` (the phenotype
 * table). Without a built worker entry (unit tests run from source), or with 0 workers, files are
 * read inline. Always `close` the pool.
 */
export class SubjectPool {
  private readonly workers: Worker[];
  /** The reading in progress: where the workers' messages and errors go. */
  private reading: { onMessage: (worker: Worker, message: WorkerMessage) => void; onError: (error: Error) => void } | null = null;
  /** A worker that failed while no reading was in progress (say, at start-up). */
  private failure: Error | null = null;
  private used = false;

  /** @param workers threads to start; 0 reads inline. Defaults to one per core. */
  constructor(workers = availableParallelism()) {
    const script = builtEntry('subjectWorker.js', import.meta.url);
    this.workers = script === null ? [] : Array.from({ length: workers }, () => new Worker(script));
    for (const worker of this.workers) {
      worker.on('message', (message: WorkerMessage) => this.reading?.onMessage(worker, message));
      worker.on('error', (error: Error) => {
        if (this.reading) this.reading.onError(error);
        else this.failure ??= error;
      });
    }
  }

  /** Reads every task's file, keeping the tasks' order. The first error stops the reading. Once per pool. */
  async read(tasks: SubjectTask[], options: ReadOptions = {}): Promise<SubjectData[]> {
    if (this.used) throw new Error('a subject pool reads once');
    this.used = true;
    if (this.workers.length === 0) return readInline(tasks, options);
    if (this.failure) throw this.failure;
    const results = new Array<SubjectData>(tasks.length);
    let next = 0;
    let done = 0;
    let onAbort = (): void => undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        onAbort = () => reject(new JobCancelledError());
        if (options.signal?.aborted) return onAbort();
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
        this.reading = {
          onMessage: (worker, message) => {
            if (message.error) return reject(deserialiseError(message.error));
            results[message.id] = message.data!;
            done += 1;
            options.onDone?.(done, tasks.length);
            feed(worker);
          },
          onError: reject,
        };
        for (const worker of this.workers.slice(0, tasks.length)) feed(worker);
      });
    } finally {
      this.reading = null;
      options.signal?.removeEventListener('abort', onAbort);
    }
    return results;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

async function readInline(tasks: SubjectTask[], options: ReadOptions): Promise<SubjectData[]> {
  const results: SubjectData[] = [];
  for (const task of tasks) {
    if (options.signal?.aborted) throw new JobCancelledError();
    results.push(readSubjectData(task));
    options.onDone?.(results.length, tasks.length);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return results;
}
