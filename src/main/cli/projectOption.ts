import { resolve } from 'node:path';
import { defaultProjectPath } from '../store/defaultProjectPath';

/** The --project file, or the default project in the user's data folder. */
export function projectPath(value: string | undefined): string {
  return resolve(value ?? defaultProjectPath());
}
