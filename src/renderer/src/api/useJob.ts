import { useCallback, useEffect, useRef, useState } from 'react';
import type { EpochPoint, JobEvent, JobStatus } from '../../../shared/api';
import { api } from './client';

export interface JobHandle {
  status: JobStatus | null;
  logs: string[];
  /** Training epochs streamed so far, for live curves. */
  points: EpochPoint[];
  /** Set when starting or following the job failed (e.g. invalid input). */
  startError: Error | null;
  start: (begin: () => Promise<JobStatus>) => Promise<void>;
  /** Follows a job that is already running (e.g. after a reload). */
  follow: (jobId: string) => void;
  cancel: () => void;
  reset: () => void;
}

/** Starts a long job through the API, or follows one, and keeps its progress events until it ends. */
export function useJob(onFinished?: (status: JobStatus) => void): JobHandle {
  const [status, setStatus] = useState<JobStatus | null>(null);
  const [logs, setLogs] = useState<string[]>([]);
  const [points, setPoints] = useState<EpochPoint[]>([]);
  const [startError, setStartError] = useState<Error | null>(null);
  const subscription = useRef<{ unsubscribe: () => void } | null>(null);
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => () => subscription.current?.unsubscribe(), []);

  const follow = useCallback((jobId: string) => {
    subscription.current?.unsubscribe();
    setLogs([]);
    setPoints([]);
    subscription.current = api.jobs.events.subscribe(
      { jobId },
      {
        onData: (event: JobEvent) => {
          if (event.type === 'log') setLogs((previous) => [...previous, event.message]);
          else if (event.type === 'epoch') setPoints((previous) => [...previous, event.point]);
          else {
            setStatus(event.status);
            if (event.status.state !== 'running') finished.current?.(event.status);
          }
        },
        onError: (error) => setStartError(error instanceof Error ? error : new Error(String(error))),
      },
    );
  }, []);

  const start = useCallback(
    async (begin: () => Promise<JobStatus>) => {
      setStartError(null);
      let started: JobStatus;
      try {
        started = await begin();
      } catch (error) {
        setStartError(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      setStatus(started);
      follow(started.id);
    },
    [follow],
  );

  const cancel = useCallback(() => {
    if (status) void api.jobs.cancel.mutate({ jobId: status.id });
  }, [status]);

  const reset = useCallback(() => {
    subscription.current?.unsubscribe();
    setStatus(null);
    setLogs([]);
    setPoints([]);
    setStartError(null);
  }, []);

  return { status, logs, points, startError, start, follow, cancel, reset };
}
