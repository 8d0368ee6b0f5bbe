import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { JobManager } from './jobManager';
import { SerialQueue } from './serialQueue';

describe('SerialQueue', () => {
  it('runs work one at a time, in order, and lets a waiting job be cancelled at once', async () => {
    const jobs = new JobManager();
    const queue = new SerialQueue();
    const order: string[] = [];
    const task = (name: string, ms: number) => async () => {
      order.push(`start ${name}`);
      await sleep(ms);
      order.push(`end ${name}`);
      return name;
    };
    const a = jobs.start('train', 'a', (job) => queue.run(job, task('a', 60)));
    const b = jobs.start('train', 'b', (job) => queue.run(job, task('b', 10)));
    const c = jobs.start('train', 'c', (job) => queue.run(job, task('c', 10)));
    await sleep(5);
    expect(jobs.get(c.id)?.message).toBe('Queued behind 2 runs');
    jobs.cancel(b.id);
    expect((await jobs.settled(b.id))?.state).toBe('cancelled');
    expect(order).toEqual(['start a']);
    expect((await jobs.settled(c.id))?.result).toBe('c');
    expect((await jobs.settled(a.id))?.result).toBe('a');
    expect(order).toEqual(['start a', 'end a', 'start c', 'end c']);
  });
});
