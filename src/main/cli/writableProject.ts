import { acquireProjectLock, type LockTakeOver } from '../store/projectLock';
import { ProjectStore } from '../store/projectStore';
import { projectPath } from './projectOption';

/** The option of every command that takes the project's lock: take over a lock written on another computer. */
export const TAKE_OVER_LOCK_FLAG = { 'take-over-lock': { type: 'boolean', default: false } } as const;

export const lockTakeOver = (flag: boolean): LockTakeOver | undefined => (flag ? 'anotherComputer' : undefined);

/**
 * Opens the --project file for a command that changes it (import, demo, train, compare), holding
 * the project's lock meanwhile: refused while the app, the local server or another such command
 * has the project open (another computer's lock is taken over with --take-over-lock). Commands
 * that only read (cohorts, runs, show-run, info) take no lock.
 */
export function openWritableProject(
  value: string | undefined,
  command: string,
  takeOverLock: boolean,
): { store: ProjectStore; close(): void } {
  const path = projectPath(value);
  const lock = acquireProjectLock(path, `\`neurolip ${command}\``, lockTakeOver(takeOverLock));
  try {
    const store = ProjectStore.open(path);
    return {
      store,
      close: () => {
        store.close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
