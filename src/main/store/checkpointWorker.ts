import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * Worker-thread entry: copies a project's WAL into the project file on a connection of its own,
 * without waiting for the app's readers or writers (a PASSIVE checkpoint), and reports SQLite's
 * answer or why it could not.
 */
const { path, nativeBinding } = workerData as { path: string; nativeBinding?: string };
const started = performance.now();
try {
  const db = new Database(path, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    parentPort!.postMessage({ ...result!, seconds: (performance.now() - started) / 1000 });
  } finally {
    db.close();
  }
} catch (error) {
  parentPort!.postMessage({ error: (error as Error).message });
}
