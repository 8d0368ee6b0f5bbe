import { ProjectFileError } from './store/projectFile';

export interface OpenFailureDialog {
  title: string;
  message: string;
  buttons: string[];
  /** Index of the "Open a read-only copy" button, or -1 when a copy cannot help. */
  copyButton: number;
}

/**
 * What the desktop app shows when its project cannot be opened: the reason, and for a damaged
 * file that SQLite can still read, the offer to copy it aside and open the copy read-only.
 */
export function openFailureDialog(error: unknown): OpenFailureDialog {
  const message = error instanceof Error ? error.message : String(error);
  const copy = error instanceof ProjectFileError && error.code === 'DAMAGED' && error.readOnlyCopyPossible;
  return {
    title: 'NeuroLIP Studio cannot open the project',
    message,
    buttons: copy ? ['Open a read-only copy', 'Quit'] : ['Quit'],
    copyButton: copy ? 0 : -1,
  };
}
