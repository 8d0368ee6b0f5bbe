import { JobCancelledError, type JobContext } from './jobManager';

/**
 * Runs queued work one piece at a time, in order: training runs queue up instead of competing for
 * the cores (each run already uses one trainer process per core). A waiting job says how many runs
 * are ahead of it, and says it again as they finish; cancelled while it waits, it leaves the queue
 * at once. Its time left is measured from when its turn came, not from when it was queued.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  /** The jobs in the queue, in order: the first one's work runs or is about to. */
  private readonly jobs: JobContext[] = [];

  run<T>(job: JobContext, work: () => Promise<T>): Promise<T> {
    this.jobs.push(job);
    this.tellPlaces();
    let leaveQueue: () => void = () => undefined;
    const cancelledWhileQueued = new Promise<never>((_, reject) => {
      leaveQueue = () => {
        this.leave(job);
        reject(new JobCancelledError());
      };
      job.signal.addEventListener('abort', leaveQueue, { once: true });
    });
    const started = this.tail
      .then(() => {
        job.signal.removeEventListener('abort', leaveQueue);
        if (job.signal.aborted) return undefined;
        job.startClock();
        return work();
      })
      .finally(() => this.leave(job));
    this.tail = started.catch(() => undefined);
    cancelledWhileQueued.catch(() => undefined);
    return Promise.race([started as Promise<T>, cancelledWhileQueued]);
  }

  private leave(job: JobContext): void {
    const place = this.jobs.indexOf(job);
    if (place < 0) return;
    this.jobs.splice(place, 1);
    this.tellPlaces();
  }

  /** Each waiting job's place; the first job's own progress is its work's. */
  private tellPlaces(): void {
    this.jobs.forEach((job, ahead) => {
      if (ahead > 0) job.progress(0, `Queued behind ${ahead} run${ahead === 1 ? '' : 's'}`);
    });
  }
}
