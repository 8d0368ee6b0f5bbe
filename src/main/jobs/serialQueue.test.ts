import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { JobManager } from './jobManager';
import { SerialQueue } from './serialQueue';

/** Work that runs until `finish` is called. */
function held(order: string[], name: string) {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    finish: () => finish(),
    work: async () => {
      order.push(`start ${name}`);
      await done;
      order.push(`end ${name}`);
      return name;
    },
  };
}

describe('SerialQueue', () => {
  it('runs work one at a time, in order, and lets a waiting job be cancelled at once', async () => {
    const jobs = new JobManager();
    const queue = new SerialQueue();
    const order: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => held(order, name));
    const jobA = jobs.start('train', 'a', (job) => queue.run(job, a!.work));
    const jobB = jobs.start('train', 'b', (job) => queue.run(job, b!.work));
    const jobC = jobs.start('train', 'c', (job) => queue.run(job, c!.work));
    await sleep(5);
    expect(jobs.get(jobB.id)?.message).toBe('Queued behind 1 run');
    expect(jobs.get(jobC.id)?.message).toBe('Queued behind 2 runs');
    jobs.cancel(jobB.id);
    expect((await jobs.settled(jobB.id))?.state).toBe('cancelled');
    expect(jobs.get(jobC.id)?.message).toBe('Queued behind 1 run');
    expect(order).toEqual(['start a']);
    a!.finish();
    c!.finish();
    expect((await jobs.settled(jobC.id))?.result).toBe('c');
    expect((await jobs.settled(jobA.id))?.result).toBe('a');
    expect(order).toEqual(['start a', 'end a', 'start c', 'end c']);
  });

  it('tells the waiting jobs their new place as the runs ahead finish', async () => {
    const jobs = new JobManager();
    const queue = new SerialQueue();
    const order: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => held(order, name));
    const jobA = jobs.start('train', 'a', (job) => queue.run(job, a!.work));
    jobs.start('train', 'b', (job) => queue.run(job, b!.work));
    const jobC = jobs.start('train', 'c', (job) => queue.run(job, c!.work));
    await sleep(5);
    a!.finish();
    await jobs.settled(jobA.id);
    await sleep(5);
    expect(order).toEqual(['start a', 'end a', 'start b']);
    expect(jobs.get(jobC.id)?.message).toBe('Queued behind 1 run');
    b!.finish();
    c!.finish();
    await jobs.settled(jobC.id);
  });

  it('measures a queued job’s time left from when its turn came', async () => {
    const jobs = new JobManager();
    const queue = new SerialQueue();
    const first = jobs.start('train', 'first', (job) => queue.run(job, () => sleep(400)));
    const second = jobs.start('train', 'second', (job) =>
      queue.run(job, async () => {
        job.progress(0.5, 'Half way');
        await sleep(5);
      }),
    );
    await jobs.settled(first.id);
    const halfWay = (await collectStatuses(jobs, second.id)).find((status) => status.message === 'Half way');
    // Half done the moment it started: about no time left, not the 0.4 s it waited.
    expect(halfWay?.etaSeconds).toBeLessThan(0.2);
  });
});

async function collectStatuses(jobs: JobManager, id: string) {
  const statuses = [];
  for await (const event of jobs.events(id)) if (event.type === 'status') statuses.push(event.status);
  return statuses;
}
