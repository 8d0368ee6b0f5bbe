import { copyFileSync, existsSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

/**
 * Copies a (damaged) project aside, next to it, with its pending WAL if any:
 * `study.neurolip` -> `study.readonly-copy-2026-11-29T14-05-09.neurolip`. The original is only read.
 */
export function copyProjectAside(path: string, now = new Date()): string {
  const extension = extname(path) || '.neurolip';
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  const copy = join(dirname(path), `${basename(path, extname(path))}.readonly-copy-${stamp}${extension}`);
  if (existsSync(copy)) throw new Error(`${copy} already exists; not overwriting it.`);
  copyFileSync(path, copy);
  if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
  return copy;
}
