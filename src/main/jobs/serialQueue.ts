import { JobCancelledError, type JobContext } from './jobManager';

/**
 * Runs queued work one piece at a time, in order: training runs queue up instead of competing for
 * the cores (each run already uses one trainer process per core). A job cancelled while it waits
 * leaves the queue at once.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  /** Jobs in the queue, the running one included. */
  private active = 0;

  run<T>(job: JobContext, work: () => Promise<T>): Promise<T> {
    const ahead = this.active;
    this.active += 1;
    if (ahead > 0) job.progress(0, `Queued behind ${ahead} run${ahead > 1 ? 's' : ''}`);
    let leaveQueue: () => void = () => undefined;
    const cancelledWhileQueued = new Promise<never>((_, reject) => {
      leaveQueue = () => reject(new JobCancelledError());
      job.signal.addEventListener('abort', leaveQueue, { once: true });
    });
    const started = this.tail
      .then(() => {
        job.signal.removeEventListener('abort', leaveQueue);
        return job.signal.aborted ? undefined : work();
      })
      .finally(() => {
        this.active -= 1;
      });
    this.tail = started.catch(() => undefined);
    cancelledWhileQueued.catch(() => undefined);
    return Promise.race([started as Promise<T>, cancelledWhileQueued]);
  }
}
