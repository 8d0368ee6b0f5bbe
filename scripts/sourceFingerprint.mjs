import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const FOLDERS = ['src/main', 'src/shared'];
const SOURCE = /\.(ts|tsx|wat)$/;
const TEST = /\.test\.tsx?$/;

function files(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return files(path);
    return SOURCE.test(entry.name) && !TEST.test(entry.name) ? [path] : [];
  });
}

/**
 * A short hash of the main process's and shared sources (tests left out): two builds with the same
 * fingerprint train and evaluate with the same code, so a finished run can stand in for a new one.
 */
export function sourceFingerprint(root) {
  const hash = createHash('sha256');
  const paths = FOLDERS.flatMap((folder) => files(join(root, folder))).map((path) => relative(root, path).split('\\').join('/'));
  for (const path of paths.sort())
    hash
      .update(path)
      .update('\0')
      .update(readFileSync(join(root, path)))
      .update('\0');
  return hash.digest('hex').slice(0, 12);
}
