import { ImportError } from '../cohort/importError';
import { ModelTooLargeError } from '../model/memoryEstimate';
import { ProjectFileError } from '../store/projectFile';
import { ProjectLockedError } from '../store/projectLock';
import { ProjectWriteError } from '../store/writeFailure';
import { CohortDataError } from '../train/cohortDataError';

/** Errors the CLI prints as their message alone (exit code 2): the user can act on them, and a stack trace would not help. */
export function isUserError(error: unknown): boolean {
  return (
    error instanceof ProjectFileError ||
    error instanceof ProjectLockedError ||
    error instanceof ProjectWriteError ||
    error instanceof ModelTooLargeError ||
    error instanceof ImportError ||
    error instanceof CohortDataError
  );
}
