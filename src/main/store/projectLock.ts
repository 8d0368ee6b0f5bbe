import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

/** Who holds a project: written as JSON to `PROJECT.lock` next to the project file. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** What holds it: "the desktop app", "the local server", "neurolip import" ... */
  holder: string;
  startedAt: string;
}

export class ProjectLockedError extends Error {
  constructor(
    readonly path: string,
    readonly owner: LockOwner,
  ) {
    const where = owner.hostname === hostname() ? `process ${owner.pid}` : `process ${owner.pid} on ${owner.hostname}`;
    super(
      `${path} is already open in ${owner.holder} (${where}, since ${owner.startedAt}). ` +
        'Close it there first: one NeuroLIP Studio at a time may change a project.',
    );
    this.name = 'ProjectLockedError';
  }
}

export interface ProjectLock {
  readonly lockPath: string;
  release(): void;
}

export const lockPathOf = (projectPath: string): string => `${projectPath}.lock`;

/** True while the process can still be signalled; on another computer we cannot tell, so it counts as alive. */
function ownerAlive(owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(lockPath: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.hostname === 'string' ? (owner as LockOwner) : null;
  } catch {
    return null;
  }
}

/**
 * Takes the project's lock file, created atomically (`wx`). A lock left by a process that no
 * longer runs (killed, crashed) is taken over; one held by a live process is refused with a
 * ProjectLockedError that says who holds it.
 */
export function acquireProjectLock(projectPath: string, holder: string): ProjectLock {
  const lockPath = lockPathOf(projectPath);
  const me: LockOwner = { pid: process.pid, hostname: hostname(), holder, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(lockPath, 'wx');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT')
        throw new Error(`Cannot open the project ${projectPath}: the folder ${dirname(projectPath)} does not exist.`, { cause: error });
      if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM')
        throw new Error(`Cannot open the project ${projectPath}: this account may not write in ${dirname(projectPath)}.`, { cause: error });
      if (code !== 'EEXIST') throw error;
      const owner = readOwner(lockPath);
      if (owner !== null && ownerAlive(owner)) throw new ProjectLockedError(projectPath, owner);
      // A stale (or unreadable, half-written) lock: its owner is gone.
      rmSync(lockPath, { force: true });
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(me));
    } finally {
      closeSync(fd);
    }
    return {
      lockPath,
      release: () => {
        if (readOwner(lockPath)?.pid === me.pid) rmSync(lockPath, { force: true });
      },
    };
  }
  throw new ProjectLockedError(projectPath, readOwner(lockPath) ?? me);
}
