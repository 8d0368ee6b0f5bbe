import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';

export interface IntegrityReport {
  /** Null when the file is sound; otherwise what is wrong, in words. */
  problem: string | null;
  /** Whether SQLite can still read the project's tables, so that a read-only copy is worth opening. */
  readable: boolean;
}

const walHasFrames = (path: string): boolean => existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0;

/**
 * A truncated file: the header's page count times the page size is more than the file holds.
 * Only meaningful when no WAL is pending, since a checkpoint cut short leaves the header ahead of
 * the file and the WAL completes it.
 */
function truncation(path: string, header: Buffer): string | null {
  if (walHasFrames(path)) return null;
  const pageSize = header.readUInt16BE(16) === 1 ? 65536 : header.readUInt16BE(16);
  const pages = header.readUInt32BE(28);
  const headerValid = pages > 0 && header.readUInt32BE(24) === header.readUInt32BE(92);
  const size = statSync(path).size;
  if (headerValid && size < pages * pageSize) return `it is truncated: ${size} bytes of the ${pages * pageSize} its header promises`;
  return null;
}

/** Can the project's own tables still be read? */
function tablesReadable(db: Database.Database): boolean {
  try {
    for (const table of ['atlases', 'cohorts', 'subjects', 'runs']) db.prepare(`SELECT count(*) FROM ${table}`).get();
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks an existing project before anything writes to it: truncation from the header, then
 * SQLite's `PRAGMA quick_check` on a read-only connection (which never writes the file).
 */
export function checkProjectIntegrity(path: string, header: Buffer, nativeBinding?: string): IntegrityReport {
  const truncated = truncation(path, header);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  } catch (error) {
    return { problem: truncated ?? (error as Error).message, readable: false };
  }
  try {
    let problem = truncated;
    try {
      const rows = db.pragma('quick_check(5)') as { quick_check: string }[];
      const findings = rows.map((row) => row.quick_check).filter((text) => text !== 'ok');
      if (findings.length > 0) problem ??= `SQLite's check found damage (${findings.join('; ').replace(/\s+/g, ' ')})`;
    } catch (error) {
      problem ??= `SQLite cannot read it (${(error as Error).message})`;
    }
    return { problem, readable: problem === null || tablesReadable(db) };
  } finally {
    db.close();
  }
}
