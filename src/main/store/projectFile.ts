import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';
import { checkProjectIntegrity } from './projectIntegrity';

/** PRAGMA application_id of every NeuroLIP project: the bytes "NLIP". */
export const NEUROLIP_APPLICATION_ID = 0x4e4c4950;

const SQLITE_MAGIC = 'SQLite format 3\0';

/**
 * The page size of new projects; older ones keep theirs (4096). Projects are mostly BLOBs of
 * matrices and series, which larger pages write in fewer pieces: the 27 MB of the 102 ABIDE
 * subjects in 47 ms instead of 62 ms, their checkpoint in 125 ms instead of 165 ms (2-core VM,
 * medians of 7, with the bulk write's small page cache). 65536 would be faster still, but leaves so much room in each table's pages that
 * a full disk could no longer be told from a nearly full one in store/diskFull.test.ts.
 */
const PROJECT_PAGE_SIZE = 16384;

export type ProjectErrorCode = 'NOT_SQLITE' | 'NOT_A_PROJECT' | 'NEWER_SCHEMA' | 'UNREADABLE' | 'DAMAGED';

export class ProjectFileError extends Error {
  constructor(
    readonly code: ProjectErrorCode,
    readonly path: string,
    message: string,
    /** For a damaged file: SQLite can still read its tables, so a read-only copy is worth offering. */
    readonly readOnlyCopyPossible = false,
  ) {
    super(message);
    this.name = 'ProjectFileError';
  }
}

export interface ProjectHeader {
  applicationId: number;
  userVersion: number;
  /** The file's first 100 bytes. */
  bytes: Buffer;
}

/**
 * Reads the SQLite header straight from the file's first 100 bytes, so that deciding whether a
 * file is ours never opens it with SQLite and never writes to it.
 */
export function readProjectHeader(path: string): ProjectHeader {
  const header = Buffer.alloc(100);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new ProjectFileError('UNREADABLE', path, `${path}: cannot be read (${(error as Error).message}).`);
  }
  let bytesRead: number;
  try {
    bytesRead = readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (bytesRead < 100 || header.toString('latin1', 0, 16) !== SQLITE_MAGIC) {
    throw new ProjectFileError(
      'NOT_SQLITE',
      path,
      `${path} is not a NeuroLIP project: it is not an SQLite database. The file was left untouched.`,
    );
  }
  return { userVersion: header.readUInt32BE(60), applicationId: header.readUInt32BE(68), bytes: header };
}

function checkHeader(path: string, header: Omit<ProjectHeader, 'bytes'>): void {
  if (header.applicationId !== NEUROLIP_APPLICATION_ID) {
    throw new ProjectFileError(
      'NOT_A_PROJECT',
      path,
      `${path} is an SQLite database but not a NeuroLIP project (application id ${header.applicationId}). The file was left untouched.`,
    );
  }
  if (header.userVersion > LATEST_SCHEMA_VERSION) {
    throw new ProjectFileError(
      'NEWER_SCHEMA',
      path,
      `${path} was written by a newer NeuroLIP Studio (project schema ${header.userVersion}; this version reads up to ${LATEST_SCHEMA_VERSION}). Update the app to open it. The file was left untouched.`,
    );
  }
}

export interface OpenedProject {
  db: Database.Database;
  path: string;
  /** Set when an older project was migrated: the copy of the file taken first. */
  backupPath: string | null;
  schemaVersion: number;
}

/**
 * Opens a project file, creating it when it does not exist or is empty. A file that is not a
 * NeuroLIP project, or comes from a newer schema, is refused before SQLite ever opens it.
 * An older project is copied aside before its migrations run.
 */
export function openProjectFile(path: string, nativeBinding?: string): OpenedProject {
  const isNew = !existsSync(path) || statSync(path).size === 0;
  let backupPath: string | null = null;
  if (isNew) {
    mkdirSync(dirname(path), { recursive: true });
  } else {
    const header = readProjectHeader(path);
    checkHeader(path, header);
    refuseDamaged(path, header, nativeBinding);
    if (header.userVersion < LATEST_SCHEMA_VERSION) {
      backupPath = `${path}.schema-v${header.userVersion}.bak`;
      copyFileSync(path, backupPath);
    }
  }

  const db = new Database(path, nativeBinding ? { nativeBinding } : {});
  try {
    if (isNew) {
      // The page size is fixed when the file is first written.
      db.pragma(`page_size = ${PROJECT_PAGE_SIZE}`);
      // The application id goes in before WAL is on, so it lands in the file's own header at once:
      // readProjectHeader() reads it from there.
      db.pragma(`application_id = ${NEUROLIP_APPLICATION_ID}`);
    }
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    checkHeader(path, {
      applicationId: db.pragma('application_id', { simple: true }) as number,
      userVersion: db.pragma('user_version', { simple: true }) as number,
    });
    if (migrate(db)) db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (error) {
    db.close();
    throw error;
  }
  return { db, path, backupPath, schemaVersion: LATEST_SCHEMA_VERSION };
}

/** A truncated or damaged project is refused before anything writes to it. */
function refuseDamaged(path: string, header: ProjectHeader, nativeBinding?: string): void {
  const { problem, readable } = checkProjectIntegrity(path, header.bytes, nativeBinding);
  if (problem === null) return;
  const next = readable
    ? 'SQLite can still read its tables: open a read-only copy (`neurolip serve --project FILE --read-only-copy`, or "Open a read-only copy" in the desktop app) to look at and export what is left.'
    : 'SQLite cannot read its tables; restore it from a backup.';
  throw new ProjectFileError(
    'DAMAGED',
    path,
    `${path} is damaged: ${problem}. It was not opened, and not a byte of it was changed. ${next}`,
    readable,
  );
}

/**
 * Opens a project for reading only, without migrations or checks beyond the header: used for the
 * copy of a damaged project, which SQLite may still partly read.
 */
export function openProjectReadOnly(path: string, nativeBinding?: string): OpenedProject {
  const header = readProjectHeader(path);
  checkHeader(path, header);
  const db = new Database(path, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  return { db, path, backupPath: null, schemaVersion: header.userVersion };
}

/** Runs the pending migrations in one transaction; true when there were any. */
function migrate(db: Database.Database): boolean {
  const current = db.pragma('user_version', { simple: true }) as number;
  db.transaction(() => {
    for (let version = current; version < LATEST_SCHEMA_VERSION; version += 1) {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }
  })();
  return current < LATEST_SCHEMA_VERSION;
}
