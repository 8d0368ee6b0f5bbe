import { EventEmitter, on } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { EpochPoint, JobEvent, JobKind, JobStatus } from '../../shared/api';
import { secondsLeft } from '../../shared/timeLeft';

/** What a running job may do: report progress, log, and notice cancellation. */
export interface JobContext {
  readonly signal: AbortSignal;
  /** `alreadyDone`: the share of `fraction` done before the job's clock started (a resumed run's stored part). */
  progress(fraction: number | null, message: string, alreadyDone?: number): void;
  log(level: 'info' | 'warning', message: string): void;
  /** Streams a finished training epoch (for live curves). */
  epoch(point: EpochPoint): void;
  /** Names the stored run this (training) job writes to. */
  linkRun(runId: number): void;
  /** The job's own work starts now, after waiting in a queue: its time left is measured from here. */
  startClock(): void;
}

export class JobCancelledError extends Error {
  constructor() {
    super('Cancelled by the user.');
    this.name = 'JobCancelledError';
  }
}

interface Job {
  status: JobStatus;
  controller: AbortController;
  emitter: EventEmitter;
  /** When the job's own work started (its start, or when it left a queue), for its time left. */
  clockMs: number;
}

const TERMINAL = new Set(['done', 'failed', 'cancelled']);

/** Keeps long jobs (import, training, export), streams their events and cancels them. */
export class JobManager {
  private readonly jobs = new Map<string, Job>();

  start<T>(kind: JobKind, title: string, run: (context: JobContext) => Promise<T>): JobStatus {
    const id = `job-${randomUUID()}`;
    const job: Job = {
      status: {
        id,
        kind,
        title,
        state: 'running',
        fraction: 0,
        message: 'Starting',
        etaSeconds: null,
        startedAt: new Date().toISOString(),
        endedAt: null,
        error: null,
      },
      controller: new AbortController(),
      emitter: new EventEmitter(),
      clockMs: Date.now(),
    };
    this.jobs.set(id, job);
    const context: JobContext = {
      signal: job.controller.signal,
      progress: (fraction, message, alreadyDone = 0) => {
        if (job.status.state !== 'running') return;
        this.update(job, { fraction, message, etaSeconds: secondsLeft((Date.now() - job.clockMs) / 1000, fraction, alreadyDone) });
      },
      log: (level, message) => this.emit(job, { type: 'log', level, message }),
      epoch: (point) => this.emit(job, { type: 'epoch', point }),
      linkRun: (runId) => this.update(job, { runId }),
      startClock: () => {
        job.clockMs = Date.now();
      },
    };
    void this.execute(job, run, context);
    return job.status;
  }

  private async execute<T>(job: Job, run: (context: JobContext) => Promise<T>, context: JobContext): Promise<void> {
    try {
      const result = await run(context);
      if (job.controller.signal.aborted) throw new JobCancelledError();
      this.finish(job, { state: 'done', fraction: 1, message: 'Done', result });
    } catch (error) {
      if (job.controller.signal.aborted || error instanceof JobCancelledError) {
        this.finish(job, { state: 'cancelled', message: 'Cancelled; nothing was kept.' });
      } else {
        const message = error instanceof Error ? error.message : String(error);
        this.finish(job, { state: 'failed', message: 'Failed', error: message });
      }
    }
  }

  get(id: string): JobStatus | undefined {
    return this.jobs.get(id)?.status;
  }

  list(): JobStatus[] {
    return [...this.jobs.values()].map((job) => job.status);
  }

  /** Asks a job to stop. Returns its status, or undefined for an unknown job. */
  cancel(id: string): JobStatus | undefined {
    const job = this.jobs.get(id);
    if (job && job.status.state === 'running') {
      job.controller.abort();
      this.update(job, { message: 'Cancelling' });
    }
    return job?.status;
  }

  /** The job's current status, then every later event, ending after the final status. */
  async *events(id: string, signal?: AbortSignal): AsyncGenerator<JobEvent> {
    const job = this.jobs.get(id);
    if (!job) return;
    const live = on(job.emitter, 'event', { signal });
    const snapshot = job.status;
    yield { type: 'status', status: snapshot };
    if (TERMINAL.has(snapshot.state)) return;
    try {
      for await (const [event] of live as AsyncIterable<[JobEvent]>) {
        yield event;
        if (event.type === 'status' && TERMINAL.has(event.status.state)) return;
      }
    } catch (error) {
      if (!signal?.aborted) throw error;
    }
  }

  /** Resolves with the job's final status. */
  async settled(id: string): Promise<JobStatus | undefined> {
    let last = this.get(id);
    for await (const event of this.events(id)) if (event.type === 'status') last = event.status;
    return last;
  }

  private update(job: Job, patch: Partial<JobStatus>): void {
    job.status = { ...job.status, ...patch };
    this.emit(job, { type: 'status', status: job.status });
  }

  private finish(job: Job, patch: Partial<JobStatus>): void {
    this.update(job, { ...patch, etaSeconds: null, endedAt: new Date().toISOString() });
  }

  private emit(job: Job, event: JobEvent): void {
    job.emitter.emit('event', event);
  }
}
