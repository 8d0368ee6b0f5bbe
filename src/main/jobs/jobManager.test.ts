import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../shared/api';
import { JobManager } from './jobManager';

async function collect(events: AsyncIterable<JobEvent>): Promise<JobEvent[]> {
  const all: JobEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('JobManager', () => {
  it('streams progress, logs and the result of a job that finishes', async () => {
    const jobs = new JobManager();
    const started = jobs.start('import', 'Import test', async (context) => {
      await sleep(5);
      context.progress(0.5, 'Half way');
      context.log('warning', 'One file skipped');
      await sleep(5);
      return { cohortId: 7 };
    });
    const events = await collect(jobs.events(started.id));
    const statuses = events.flatMap((event) => (event.type === 'status' ? [event.status] : []));
    expect(statuses.map((status) => status.message)).toEqual(['Starting', 'Half way', 'Done']);
    expect(statuses.at(-1)).toMatchObject({ state: 'done', fraction: 1, result: { cohortId: 7 }, error: null });
    expect(statuses[1]!.etaSeconds).toBeGreaterThanOrEqual(0);
    expect(events).toContainEqual({ type: 'log', level: 'warning', message: 'One file skipped' });
  });

  it('reports a failure with its message', async () => {
    const jobs = new JobManager();
    const started = jobs.start('import', 'Broken', async () => {
      throw new Error('phenotype.csv line 3, column DX_GROUP: unknown code "7"');
    });
    const final = await jobs.settled(started.id);
    expect(final).toMatchObject({ state: 'failed', error: 'phenotype.csv line 3, column DX_GROUP: unknown code "7"' });
  });

  it('cancels a running job through its abort signal', async () => {
    const jobs = new JobManager();
    let sawAbort = false;
    const started = jobs.start('train', 'Long', async (context) => {
      while (!context.signal.aborted) await sleep(2);
      sawAbort = true;
      throw new Error('stopped');
    });
    await sleep(10);
    expect(jobs.cancel(started.id)?.message).toBe('Cancelling');
    const final = await jobs.settled(started.id);
    expect(sawAbort).toBe(true);
    expect(final?.state).toBe('cancelled');
    expect(jobs.cancel('job-unknown')).toBeUndefined();
  });

  it('replays the final status to a late subscriber', async () => {
    const jobs = new JobManager();
    const started = jobs.start('export', 'Quick', async () => 1);
    await jobs.settled(started.id);
    const events = await collect(jobs.events(started.id));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'status', status: { state: 'done' } });
  });
});
