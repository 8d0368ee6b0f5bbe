import type { SubjectTask } from './subjectData';

/**
 * Subjects' files handed to every reading thread at once. Each thread claims the next task through
 * a counter in shared memory, so the workers never wait for the main thread to hand them work (it
 * may be busy for a while, say detecting the layout). `claims` holds the counter, then one flag per
 * task: 1 while the task is wanted, 0 once it is not.
 */
export interface TaskBatch {
  id: number;
  tasks: SubjectTask[];
  claims: SharedArrayBuffer;
}

export function newTaskBatch(id: number, tasks: SubjectTask[]): TaskBatch {
  const claims = new SharedArrayBuffer(4 * (1 + tasks.length));
  new Int32Array(claims).fill(1, 1);
  return { id, tasks, claims };
}

/** Claims the batch's next wanted task for this thread: its index, or null when none is left. */
export function claimTask(claims: Int32Array, count: number): number | null {
  for (;;) {
    const index = Atomics.add(claims, 0, 1);
    if (index >= count) return null;
    if (Atomics.load(claims, 1 + index) === 1) return index;
  }
}

/** No thread will claim this task from now on (one already reading it finishes it). */
export function dropTask(claims: Int32Array, index: number): void {
  Atomics.store(claims, 1 + index, 0);
}

/** No thread will claim any more of the batch's tasks. */
export function endBatch(claims: Int32Array, count: number): void {
  Atomics.store(claims, 0, count);
}
