import { createTRPCClient, TRPCClientError } from '@trpc/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ipcLink } from '../../renderer/src/api/ipcLink';
import type { JobEvent } from '../../shared/api';
import type { IpcResponse, NeurolipBridge } from '../../shared/ipc';
import { useTestCore } from '../../test-support/testCore';
import type { Core } from '../core';
import { createIpcDispatcher } from './ipcDispatcher';
import { appRouter, type AppRouter } from './router';

/** The renderer's link and the main process's dispatcher, joined by an in-memory pipe. */
function ipcClient(core: Core) {
  const dispatcher = createIpcDispatcher(appRouter, () => ({ core }));
  const listeners = new Set<(response: IpcResponse) => void>();
  const peer = { id: 1, send: (response: IpcResponse) => queueMicrotask(() => listeners.forEach((l) => l(structuredClone(response)))) };
  const bridge: NeurolipBridge = {
    send: (request) => dispatcher.handle(peer, structuredClone(request)),
    onMessage: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return createTRPCClient<AppRouter>({ links: [ipcLink(bridge)] });
}

describe('the API over the desktop IPC pipe', () => {
  const testCore = useTestCore();

  it('answers queries', async () => {
    const core = testCore();
    const summary = await ipcClient(core).project.summary.query();
    expect(summary).toEqual({ projectPath: core.store.path, readOnlyCopyOf: null, cohorts: 0, subjects: 0, atlases: 0, runs: 0 });
  });

  it('rejects invalid input with the schema message', async () => {
    const client = ipcClient(testCore());
    const error = await client.jobs.cancel.mutate({ jobId: '../../etc/passwd' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as Error).message).toBe('Invalid input: jobId: not a job id');
  });

  it('streams job progress and cancels the job', async () => {
    const core = testCore();
    const client = ipcClient(core);
    const job = core.jobs.start('train', 'Waits for cancel', async (context) => {
      context.progress(0.25, 'Epoch 1');
      while (!context.signal.aborted) await sleep(2);
    });
    const seen: JobEvent[] = [];
    const finished = new Promise<void>((resolve, reject) => {
      client.jobs.events.subscribe(
        { jobId: job.id },
        { onData: (event) => seen.push(event), onComplete: () => resolve(), onError: reject },
      );
    });
    await sleep(20);
    const cancelling = await client.jobs.cancel.mutate({ jobId: job.id });
    expect(cancelling.message).toBe('Cancelling');
    await finished;
    const states = seen.flatMap((event) => (event.type === 'status' ? [event.status.state] : []));
    expect(states.at(-1)).toBe('cancelled');
    expect(seen.some((event) => event.type === 'status' && event.status.message === 'Epoch 1')).toBe(true);
  });

  it('says which job is unknown', async () => {
    const error = await ipcClient(testCore())
      .jobs.get.query({ jobId: 'job-nope' })
      .catch((e: unknown) => e);
    expect((error as TRPCClientError<AppRouter>).data?.code).toBe('NOT_FOUND');
    expect((error as Error).message).toBe('No such job.');
  });
});
