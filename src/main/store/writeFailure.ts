/** A write to the project that SQLite refused as a whole: the disk is full, or the project is read-only. */
export class ProjectWriteError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'ProjectWriteError';
  }
}

/**
 * Words SQLite's "database or disk is full" (SQLITE_FULL, also raised at `PRAGMA max_page_count`)
 * and "attempt to write a readonly database" for people. Every write is one transaction, so in
 * both cases nothing of it was kept and what was stored before is intact. Other errors: null.
 */
export function describeWriteFailure(error: unknown, path: string, what: string): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL')
    return `Could not write ${what} to ${path}: the disk is full (or the project reached its size limit). Nothing of it was kept, and everything stored before is intact. Free some space and try again.`;
  if (code === 'SQLITE_READONLY')
    return `Could not write ${what}: ${path} is open read-only (a copy of a damaged project), so nothing can be changed in it.`;
  return null;
}

/** The error itself, or a ProjectWriteError that says in words why SQLite refused the write. */
export function asWriteFailure(error: unknown, path: string, what: string): unknown {
  const message = describeWriteFailure(error, path, what);
  return message === null ? error : new ProjectWriteError(message, { cause: error });
}
