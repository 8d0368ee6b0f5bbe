import { acquireProjectLock } from '../store/projectLock';
import { ProjectStore } from '../store/projectStore';
import { projectPath } from './projectOption';

/**
 * Opens the --project file for a command that changes it (import, demo, train), holding the
 * project's lock meanwhile: refused while the app, the local server or another such command has
 * the project open. Commands that only read (cohorts, runs, show-run, info) take no lock.
 */
export function openWritableProject(value: string | undefined, command: string): { store: ProjectStore; close(): void } {
  const path = projectPath(value);
  const lock = acquireProjectLock(path, `\`neurolip ${command}\``);
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
