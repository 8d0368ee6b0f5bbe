import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { builtEntry } from '../builtEntry';
import { JobCancelledError } from '../jobs/jobManager';
import { deserialiseError, readSubjectData, type SubjectData, type SubjectTask } from './subjectData';
import { SpoolWriter, SubjectSpool } from './subjectSpool';

export interface ReadOptions {
  signal?: AbortSignal;
  onDone?: (done: number, total: number) => void;
}

type WorkerMessage = { id: number; data?: SubjectData; error?: Parameters<typeof deserialiseError>[0] };

/** Tasks a worker holds at once: the next is there when it finishes one, even while this thread is reading. */
const TASKS_IN_FLIGHT = 2;

/**
 * Reads subjects' files and computes their connectivity on every core: in worker threads, one per
 * core but one, and on this thread, which takes files between the workers' messages (a file keeps
 * it busy 2-4 ms). The workers start when the pool is made, so their start-up overlaps whatever
 * the caller does before `read` (the phenotype table). Without a built worker entry (unit tests
 * run from source), or with 0 workers, this thread reads every file. Each thread spools what it
 * reads into `spool`, where it stays until the pool is closed: always `close` the pool.
 */
export class SubjectPool {
  private readonly workers: Worker[];
  /** Where the subjects' matrices and series wait for the project's transaction; file 0 is this thread's. */
  readonly spool: SubjectSpool;
  private readonly spoolHere: SpoolWriter;
  /** The reading in progress: where the workers' messages and errors go. */
  private reading: { onMessage: (worker: Worker, message: WorkerMessage) => void; onError: (error: Error) => void } | null = null;
  /** A worker that failed while no reading was in progress (say, at start-up). */
  private failure: Error | null = null;
  private used = false;
  private terminated: Promise<unknown> | null = null;

  /** @param workers threads to start besides this one; 0 reads on this thread only. Defaults to one per core but one. */
  constructor(workers = availableParallelism() - 1) {
    const script = builtEntry('subjectWorker.js', import.meta.url);
    const threads = script === null ? 0 : workers;
    this.spool = new SubjectSpool(1 + threads);
    this.spoolHere = new SpoolWriter(this.spool.fds[0]!);
    this.workers = Array.from({ length: threads }, (_, i) => new Worker(script!, { workerData: { spoolFd: this.spool.fds[1 + i] } }));
    for (const worker of this.workers) {
      worker.on('message', (message: WorkerMessage) => this.reading?.onMessage(worker, message));
      worker.on('error', (error: Error) => {
        if (this.reading) this.reading.onError(error);
        else this.failure ??= error;
      });
    }
  }

  /**
   * Reads every task's file, keeping the tasks' order. The first error stops the reading. Once per
   * pool: the workers are let go as soon as it ends.
   */
  async read(tasks: SubjectTask[], options: ReadOptions = {}): Promise<SubjectData[]> {
    if (this.used) throw new Error('a subject pool reads once');
    this.used = true;
    try {
      return this.workers.length === 0 ? await readInline(tasks, this.spoolHere, options) : await this.readWithWorkers(tasks, options);
    } finally {
      this.terminated = Promise.all(this.workers.map((worker) => worker.terminate()));
    }
  }

  private async readWithWorkers(tasks: SubjectTask[], options: ReadOptions): Promise<SubjectData[]> {
    if (this.failure) throw this.failure;
    if (tasks.length === 0) return [];
    const results = new Array<SubjectData>(tasks.length);
    let next = 0;
    let done = 0;
    let onAbort = (): void => undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        let stopped = false;
        const stop = (error?: Error): void => {
          stopped = true;
          if (error) reject(error);
          else resolve();
        };
        const finished = (): void => {
          done += 1;
          options.onDone?.(done, tasks.length);
          if (done === tasks.length) stop();
        };
        onAbort = () => stop(new JobCancelledError());
        if (options.signal?.aborted) return onAbort();
        options.signal?.addEventListener('abort', onAbort, { once: true });
        const feed = (worker: Worker): void => {
          if (stopped || next >= tasks.length) return;
          const id = next++;
          worker.postMessage({ id, task: tasks[id] });
        };
        const readHere = (): void => {
          if (stopped || next >= tasks.length) return;
          const id = next++;
          try {
            results[id] = readSubjectData(tasks[id]!, this.spoolHere);
          } catch (error) {
            return stop(error as Error);
          }
          finished();
          setImmediate(readHere);
        };
        this.reading = {
          onMessage: (worker, message) => {
            if (stopped) return;
            if (message.error) return stop(deserialiseError(message.error));
            results[message.id] = message.data!;
            finished();
            feed(worker);
          },
          onError: stop,
        };
        for (let k = 0; k < TASKS_IN_FLIGHT; k += 1) for (const worker of this.workers) feed(worker);
        setImmediate(readHere);
      });
    } finally {
      this.reading = null;
      options.signal?.removeEventListener('abort', onAbort);
    }
    return results;
  }

  async close(): Promise<void> {
    await (this.terminated ?? Promise.all(this.workers.map((worker) => worker.terminate())));
    this.spool.close();
  }
}

async function readInline(tasks: SubjectTask[], spool: SpoolWriter, options: ReadOptions): Promise<SubjectData[]> {
  const results: SubjectData[] = [];
  for (const task of tasks) {
    if (options.signal?.aborted) throw new JobCancelledError();
    results.push(readSubjectData(task, spool));
    options.onDone?.(results.length, tasks.length);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return results;
}
