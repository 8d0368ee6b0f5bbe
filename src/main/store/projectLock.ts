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
  /**
   * The owner process's identity beyond its id, where the system tells it (Linux: the boot's id and
   * the process's start time), so that a later process given the same id after a crash or a reboot
   * is not taken for the owner. Locks written before it existed lack it.
   */
  process?: string;
}

export class ProjectLockedError extends Error {
  /** The owner runs on another computer, so this one cannot tell whether it still does. */
  readonly onAnotherComputer: boolean;

  constructor(
    readonly path: string,
    readonly owner: LockOwner,
  ) {
    const onAnotherComputer = owner.hostname !== hostname();
    const where = onAnotherComputer ? `process ${owner.pid} on ${owner.hostname}` : `process ${owner.pid}`;
    super(
      `${path} is already open in ${owner.holder} (${where}, since ${owner.startedAt}). ` +
        'Close it there first: one NeuroLIP Studio at a time may change a project.' +
        (onAnotherComputer
          ? ` If it is no longer open on ${owner.hostname} (that computer crashed or was switched off with the project open), ` +
            'open it anyway: the desktop app offers to, and the command line takes --take-over-lock.'
          : ''),
    );
    this.name = 'ProjectLockedError';
    this.onAnotherComputer = onAnotherComputer;
  }
}

/**
 * Whose lock to take over although it may be alive: a lock written on another computer, which
 * this one cannot check, once the user has said that computer no longer has the project open.
 * `'anotherComputer'` takes over any such lock (the command line's --take-over-lock); an owner
 * takes over that lock only (the desktop app's "Open anyway", answering the refusal that named
 * it), so a lock written since by someone else is still refused. A lock held by a live process
 * on this computer is never taken over.
 */
export type LockTakeOver = 'anotherComputer' | LockOwner;

const sameOwner = (a: LockOwner, b: LockOwner): boolean =>
  a.pid === b.pid && a.hostname === b.hostname && a.startedAt === b.startedAt && a.holder === b.holder;

function mayTakeOver(owner: LockOwner, takeOver: LockTakeOver | undefined): boolean {
  if (takeOver === undefined || owner.hostname === hostname()) return false;
  return takeOver === 'anotherComputer' || sameOwner(owner, takeOver);
}

export interface ProjectLock {
  readonly lockPath: string;
  release(): void;
}

export const lockPathOf = (projectPath: string): string => `${projectPath}.lock`;

/**
 * A process's boot id and start time (in clock ticks after boot) from /proc, or null where the
 * system has no /proc or the process is gone. The start time is the 22nd field of /proc/PID/stat,
 * counted after the command name, which is in parentheses and may itself hold spaces.
 */
export function processIdentity(pid: number): string | null {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const started = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return started ? `${boot}/${started}` : null;
  } catch {
    return null;
  }
}

/**
 * True while the owner still runs: its process can be signalled and, where the lock records the
 * process's identity and the system can tell it, it is the same process, not a later one given the
 * same id. On another computer we cannot tell, so it counts as alive.
 */
function ownerAlive(owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = owner.process === undefined ? null : processIdentity(owner.pid);
  return now === null || now === owner.process;
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
 * longer runs (killed, crashed) is taken over, as is another computer's lock that `takeOver`
 * names; one held by a live process is refused with a ProjectLockedError that says who holds it.
 */
export function acquireProjectLock(projectPath: string, holder: string, takeOver?: LockTakeOver): ProjectLock {
  const lockPath = lockPathOf(projectPath);
  const identity = processIdentity(process.pid);
  const me: LockOwner = {
    pid: process.pid,
    hostname: hostname(),
    holder,
    startedAt: new Date().toISOString(),
    ...(identity === null ? {} : { process: identity }),
  };
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
      if (owner !== null && ownerAlive(owner) && !mayTakeOver(owner, takeOver)) throw new ProjectLockedError(projectPath, owner);
      // A stale (or unreadable, half-written) lock, or one the user let us take over.
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
