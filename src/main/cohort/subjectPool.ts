import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { builtEntry } from '../builtEntry';
import { JobCancelledError } from '../jobs/jobManager';
import { deserialiseError, readSubjectData, taskKey, type SubjectData, type SubjectTask } from './subjectData';
import { SpoolWriter, SubjectSpool } from './subjectSpool';
import { claimTask, dropTask, endBatch, newTaskBatch, type TaskBatch } from './taskBatch';

export interface ReadOptions {
  signal?: AbortSignal;
  onDone?: (done: number, total: number) => void;
}

type WorkerMessage =
  { batch: number; index: number; data?: SubjectData; error?: Parameters<typeof deserialiseError>[0] } | { stopped: true };

type Outcome = { data: SubjectData } | { error: Error };

/**
 * Reads subjects' files and computes their connectivity on every core: in worker threads, one per
 * core but one, and on this thread, which takes files between the workers' messages (a file keeps
 * it busy 2-4 ms). The workers start when the pool is made. Files handed to `readAhead` are read
 * as soon as a worker is up, while the caller does other work (the phenotype table, the layout);
 * `read` then takes those it wants, reads the rest, and drops the others. Without a built worker
 * entry (unit tests run from source), or with 0 workers, this thread reads every file, within
 * `read`. Each thread spools what it reads into `spool`, where it stays until the pool is closed:
 * always `close` the pool. When the reading ends, the workers are told to stop; each answers once
 * it will not write to the spool again, and is then terminated without waiting for its thread's
 * teardown (tens of ms here), which goes on while the import stores what was read.
 */
export class SubjectPool {
  private readonly workers: Worker[];
  /** Where the subjects' matrices and series wait for the project's transaction; file 0 is this thread's. */
  readonly spool: SubjectSpool;
  private readonly spoolHere: SpoolWriter;
  private readonly batches: { batch: TaskBatch; claims: Int32Array }[] = [];
  /** Each task read so far, by taskKey: its data, or why it could not be read. */
  private readonly outcomes = new Map<string, Outcome>();
  /** The reading in progress: told of each outcome, and of a worker's failure. */
  private reading: { onOutcome: (key: string) => void; onError: (error: Error) => void } | null = null;
  /** A worker that failed while no reading was in progress (say, at start-up). */
  private failure: Error | null = null;
  /** Per worker: settles once it has said it is done with the spool, or has exited. */
  private readonly doneWithSpool: Promise<void>[];
  private used = false;
  private stopping = false;

  /** @param workers threads to start besides this one; 0 reads on this thread only. Defaults to one per core but one. */
  constructor(workers = availableParallelism() - 1) {
    const script = builtEntry('subjectWorker.js', import.meta.url);
    const threads = script === null ? 0 : workers;
    this.spool = new SubjectSpool(1 + threads);
    this.spoolHere = new SpoolWriter(this.spool.fds[0]!);
    this.workers = Array.from({ length: threads }, (_, i) => new Worker(script!, { workerData: { spoolFd: this.spool.fds[1 + i] } }));
    this.doneWithSpool = this.workers.map(
      (worker) =>
        new Promise<void>((resolve) => {
          worker.on('message', (message: WorkerMessage) => {
            if ('stopped' in message) {
              resolve();
              void worker.terminate();
              return;
            }
            const outcome = message.error ? { error: deserialiseError(message.error) } : { data: message.data! };
            this.record(this.batches[message.batch]!.batch.tasks[message.index]!, outcome);
          });
          worker.once('exit', () => resolve());
          worker.on('error', (error: Error) => {
            if (this.reading) this.reading.onError(error);
            else this.failure ??= error;
          });
        }),
    );
  }

  /**
   * Starts reading these files in the workers, before the caller knows which of them `read` will
   * want. What they read waits for `read`; a file it does not want is dropped, error and all.
   */
  readAhead(tasks: SubjectTask[]): void {
    if (this.used) throw new Error('read ahead before the pool reads');
    this.addBatch(tasks);
  }

  /**
   * Reads every task's file (or takes it from what was read ahead), keeping the tasks' order. The
   * first error among these tasks stops the reading. Once per pool: the workers are let go as soon
   * as it ends.
   */
  async read(tasks: SubjectTask[], options: ReadOptions = {}): Promise<SubjectData[]> {
    if (this.used) throw new Error('a subject pool reads once');
    this.used = true;
    try {
      if (this.failure) throw this.failure;
      const keys = tasks.map(taskKey);
      await this.readWanted(tasks, keys, options);
      return keys.map((key) => (this.outcomes.get(key) as { data: SubjectData }).data);
    } finally {
      this.stopWorkers();
    }
  }

  /** No thread claims another task; each worker is told to stop once the task it is on is done. */
  private stopWorkers(): void {
    if (this.stopping) return;
    this.stopping = true;
    for (const { batch, claims } of this.batches) endBatch(claims, batch.tasks.length);
    for (const worker of this.workers) worker.postMessage('stop');
  }

  private addBatch(tasks: SubjectTask[]): void {
    const batch = newTaskBatch(this.batches.length, tasks);
    this.batches.push({ batch, claims: new Int32Array(batch.claims) });
    for (const worker of this.workers) worker.postMessage(batch);
  }

  private record(task: SubjectTask, outcome: Outcome): void {
    const key = taskKey(task);
    this.outcomes.set(key, outcome);
    this.reading?.onOutcome(key);
  }

  private async readWanted(tasks: SubjectTask[], keys: string[], options: ReadOptions): Promise<void> {
    const wanted = new Set(keys);
    const queued = new Set<string>();
    for (const { batch, claims } of this.batches) {
      batch.tasks.forEach((task, index) => {
        const key = taskKey(task);
        if (wanted.has(key)) queued.add(key);
        else dropTask(claims, index);
      });
    }
    const unqueued = new Map<string, SubjectTask>();
    tasks.forEach((task, i) => {
      if (!queued.has(keys[i]!)) unqueued.set(keys[i]!, task);
    });
    if (unqueued.size > 0) this.addBatch([...unqueued.values()]);
    let onAbort = (): void => undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        let stopped = false;
        let done = 0;
        const stop = (error?: Error): void => {
          if (stopped) return;
          stopped = true;
          if (error) reject(error);
          else resolve();
        };
        const onOutcome = (key: string): void => {
          if (stopped || !wanted.has(key)) return;
          const outcome = this.outcomes.get(key)!;
          if ('error' in outcome) return stop(outcome.error);
          done += 1;
          options.onDone?.(done, wanted.size);
          if (done === wanted.size) stop();
        };
        onAbort = () => stop(new JobCancelledError());
        if (options.signal?.aborted) return onAbort();
        options.signal?.addEventListener('abort', onAbort, { once: true });
        if (wanted.size === 0) return stop();
        // What was read ahead counts at once, in the tasks' order, so that the first file's error is the one told.
        for (const key of wanted) if (this.outcomes.has(key)) onOutcome(key);
        this.reading = { onOutcome, onError: stop };
        const readHere = (): void => {
          if (stopped) return;
          const claimed = this.claimHere();
          if (claimed === null) return;
          let outcome: Outcome;
          try {
            outcome = { data: readSubjectData(claimed, this.spoolHere) };
          } catch (error) {
            outcome = { error: error as Error };
          }
          this.record(claimed, outcome);
          setImmediate(readHere);
        };
        setImmediate(readHere);
      });
    } finally {
      this.reading = null;
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The next task no thread has claimed yet, now claimed by this one; null when none is left. */
  private claimHere(): SubjectTask | null {
    for (const { batch, claims } of this.batches) {
      const index = claimTask(claims, batch.tasks.length);
      if (index !== null) return batch.tasks[index]!;
    }
    return null;
  }

  /** Stops the workers, and closes the spool once none of them will write to it again. */
  async close(): Promise<void> {
    this.stopWorkers();
    await Promise.all(this.doneWithSpool);
    this.spool.close();
  }
}
