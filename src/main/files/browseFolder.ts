import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { BrowseResult } from '../../shared/api';

/**
 * Lists a folder on the machine that runs the app, for the import wizard's file chooser (the local
 * server's browser cannot see that machine's disk). Names and sizes only; nothing is read.
 */
export function browseFolder(path: string = homedir()): BrowseResult {
  const folder = resolve(path);
  const entries = readdirSync(folder)
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) => {
      const full = join(folder, name);
      try {
        const stats = statSync(full);
        return [
          {
            name,
            path: full,
            kind: stats.isDirectory() ? ('folder' as const) : ('file' as const),
            sizeBytes: stats.isDirectory() ? null : stats.size,
          },
        ];
      } catch {
        return [];
      }
    })
    .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1));
  const parent = dirname(folder);
  return { path: folder, parent: parent === folder ? null : parent, entries };
}
