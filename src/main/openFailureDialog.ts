import { ProjectFileError } from './store/projectFile';
import { ProjectLockedError, type LockOwner } from './store/projectLock';

export interface OpenFailureDialog {
  title: string;
  message: string;
  buttons: string[];
  /** The button that closes the app; also what Escape chooses. */
  quitButton: number;
  /** What Enter chooses: the read-only copy where there is one (it changes nothing), else Quit. */
  defaultButton: number;
  /** Index of the "Open a read-only copy" button, or -1 when a copy cannot help. */
  copyButton: number;
  /** Index of the "Open anyway" button, or -1 unless the project is locked on another computer. */
  takeOverButton: number;
  /** The lock "Open anyway" takes over: the one this refusal named, and no other. */
  lockOwner: LockOwner | null;
}

/**
 * What the desktop app shows when its project cannot be opened: the reason; for a damaged file
 * that SQLite can still read, the offer to copy it aside and open the copy read-only; for a
 * project another computer's lock says is open there, the offer to open it anyway, which this
 * computer cannot check and the user must vouch for.
 */
export function openFailureDialog(error: unknown): OpenFailureDialog {
  const message = error instanceof Error ? error.message : String(error);
  const title = 'NeuroLIP Studio cannot open the project';
  if (error instanceof ProjectLockedError && error.onAnotherComputer)
    return {
      title,
      message:
        `${message}\n\nOpen anyway only if NeuroLIP Studio is no longer running on ${error.owner.hostname}: ` +
        'if both computers change the project, one may overwrite the other’s work.',
      buttons: ['Open anyway', 'Quit'],
      quitButton: 1,
      defaultButton: 1,
      copyButton: -1,
      takeOverButton: 0,
      lockOwner: error.owner,
    };
  const copy = error instanceof ProjectFileError && error.code === 'DAMAGED' && error.readOnlyCopyPossible;
  return {
    title,
    message,
    buttons: copy ? ['Open a read-only copy', 'Quit'] : ['Quit'],
    quitButton: copy ? 1 : 0,
    defaultButton: 0,
    copyButton: copy ? 0 : -1,
    takeOverButton: -1,
    lockOwner: null,
  };
}
