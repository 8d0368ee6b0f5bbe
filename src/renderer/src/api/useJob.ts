import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobEvent, JobStatus } from '../../../shared/api';
import { api } from './client';

export interface JobHandle {
  status: JobStatus | null;
  logs: string[];
  /** Set when starting the job itself failed (e.g. invalid input). */
  startError: Error | null;
  start: (begin: () => Promise<JobStatus>) => Promise<void>;
  cancel: () => void;
  reset: () => void;
}

/** Starts a long job through the API and follows its progress events until it ends. */
export function useJob(onFinished?: (status: JobStatus) => void): JobHandle {
  const [status, setStatus] = useState<JobStatus | null>(null);
  const [logs, setLogs] = useState<string[]>([]);
  const [startError, setStartError] = useState<Error | null>(null);
  const subscription = useRef<{ unsubscribe: () => void } | null>(null);
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => () => subscription.current?.unsubscribe(), []);

  const start = useCallback(async (begin: () => Promise<JobStatus>) => {
    subscription.current?.unsubscribe();
    setLogs([]);
    setStartError(null);
    let started: JobStatus;
    try {
      started = await begin();
    } catch (error) {
      setStartError(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    setStatus(started);
    subscription.current = api.jobs.events.subscribe(
      { jobId: started.id },
      {
        onData: (event: JobEvent) => {
          if (event.type === 'log') {
            setLogs((previous) => [...previous, event.message]);
            return;
          }
          setStatus(event.status);
          if (event.status.state !== 'running') finished.current?.(event.status);
        },
        onError: (error) => setStartError(error instanceof Error ? error : new Error(String(error))),
      },
    );
  }, []);

  const cancel = useCallback(() => {
    if (status) void api.jobs.cancel.mutate({ jobId: status.id });
  }, [status]);

  const reset = useCallback(() => {
    subscription.current?.unsubscribe();
    setStatus(null);
    setLogs([]);
    setStartError(null);
  }, []);

  return { status, logs, startError, start, cancel, reset };
}
