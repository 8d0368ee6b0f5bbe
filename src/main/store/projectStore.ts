import type Database from 'better-sqlite3';
import type { ProjectSummary } from '../../shared/api';
import { writeInBulk, type CheckpointOutcome } from './bulkWrite';
import { openProjectFile, openProjectReadOnly } from './projectFile';
import { copyProjectAside } from './readOnlyCopy';

/** The open project: owns the SQLite connection and answers questions about its contents. */
export class ProjectStore {
  /** The checkpoint the last bulk write started on another thread. */
  private checkpoint: Promise<CheckpointOutcome> | null = null;

  private constructor(
    readonly db: Database.Database,
    readonly path: string,
    readonly schemaVersion: number,
    readonly backupPath: string | null,
    /** Set for a read-only copy of a damaged project: the original's path. Nothing can be written. */
    readonly readOnlyCopyOf: string | null = null,
    private readonly nativeBinding?: string,
  ) {}

  /** `nativeBinding`: a better-sqlite3 build for another ABI, e.g. Electron's. */
  static open(path: string, nativeBinding?: string): ProjectStore {
    const opened = openProjectFile(path, nativeBinding);
    return new ProjectStore(opened.db, opened.path, opened.schemaVersion, opened.backupPath, null, nativeBinding);
  }

  /**
   * Copies a damaged project aside and opens the copy read-only, so that what SQLite can still
   * read can be looked at and exported. The original is never written.
   */
  static openReadOnlyCopy(path: string, nativeBinding?: string): ProjectStore {
    const opened = openProjectReadOnly(copyProjectAside(path), nativeBinding);
    return new ProjectStore(opened.db, opened.path, opened.schemaVersion, null, path);
  }

  /**
   * Runs a write of many megabytes (a cohort) in one transaction, with a small page cache and its
   * checkpoint left to another thread (store/bulkWrite.ts).
   */
  writeInBulk<T>(write: () => T): T {
    const { result, checkpoint } = writeInBulk(this.db, write, this.nativeBinding);
    if (checkpoint) this.checkpoint = checkpoint;
    return result;
  }

  /** How the last bulk write's checkpoint on another thread went, once it has ended; null when there was none. */
  async lastCheckpoint(): Promise<CheckpointOutcome | null> {
    return this.checkpoint;
  }

  sqliteVersion(): string {
    return (this.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  }

  summary(): ProjectSummary {
    const count = (table: string): number => (this.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      projectPath: this.path,
      readOnlyCopyOf: this.readOnlyCopyOf,
      cohorts: count('cohorts'),
      subjects: count('subjects'),
      atlases: count('atlases'),
      runs: count('runs'),
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
