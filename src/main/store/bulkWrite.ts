import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { builtEntry } from '../builtEntry';

/** SQLite's page cache during a bulk write, in KiB (the connection's default is 16 000). */
const BULK_WRITE_CACHE_KIB = 2048;

/** What the checkpoint after a bulk write did: SQLite's counts of WAL frames, or why it could not run. */
export type CheckpointOutcome = { log: number; checkpointed: number; busy: number; seconds: number } | { error: string };

/**
 * Runs a write of many megabytes (a cohort's matrices and series) in its own transaction, then
 * gives the connection its settings back.
 *
 * - A small page cache: such a transaction is larger than any cache, so its pages go to the WAL
 *   while it runs either way; a small cache keeps reusing the same memory for them, where the
 *   default one first fills 16 MB of fresh memory, page fault by page fault (on the 2-core VM, 27 MB
 *   of BLOBs as in the 102 ABIDE subjects, 16 KiB pages: 24 ms instead of 103 ms, medians of 9).
 * - No checkpoint at its commit: SQLite would otherwise copy the whole WAL into the project file
 *   and sync it before the commit returns (125 ms for those 27 MB, 0.85 s for 280 MB). The write
 *   is complete in the WAL when it returns, so it survives the app being killed; with WAL mode's
 *   synchronous = NORMAL (better-sqlite3's build) the WAL is synced only at a checkpoint, so a power
 *   cut before that can lose the write (never corrupt the project). A worker thread checkpoints on a
 *   connection of its own, while this thread goes on. Where there is no built worker entry (unit
 *   tests run from source), SQLite's automatic checkpoint runs at the commit as usual.
 *
 * Returns the write's result and the checkpoint under way, if any. A checkpoint that fails (a
 * full disk, say) loses nothing: the data stays in the WAL until a later checkpoint copies it.
 */
export function writeInBulk<T>(
  db: Database.Database,
  write: () => T,
  nativeBinding?: string,
): { result: T; checkpoint: Promise<CheckpointOutcome> | null } {
  const script = builtEntry('checkpointWorker.js', import.meta.url);
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  const autocheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma(`cache_size = -${BULK_WRITE_CACHE_KIB}`);
  if (script !== null) db.pragma('wal_autocheckpoint = 0');
  let result: T;
  try {
    result = write();
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
    db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
  }
  return { result, checkpoint: script === null ? null : checkpointOnWorker(script, db.name, nativeBinding) };
}

function checkpointOnWorker(script: string, path: string, nativeBinding?: string): Promise<CheckpointOutcome> {
  return new Promise((resolve) => {
    const worker = new Worker(script, { workerData: { path, nativeBinding } });
    worker.once('message', (outcome: CheckpointOutcome) => resolve(outcome));
    worker.once('error', (error: Error) => resolve({ error: error.message }));
    worker.once('exit', (code) => resolve({ error: `the checkpoint thread stopped (exit code ${code})` }));
  });
}
