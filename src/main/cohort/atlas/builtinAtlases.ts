import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Atlas } from './atlas';

/** Built-in atlases, derived from Debian's mricron-data by `npm run atlases` (see docs/atlases.md). */
export const BUILTIN_ATLASES = {
  aal116: 'AAL116 (Automated Anatomical Labeling)',
  'harvard-oxford-cort': 'Harvard-Oxford cortical, split by hemisphere (PCP codes)',
} as const;
export type BuiltinAtlasId = keyof typeof BUILTIN_ATLASES;

export function isBuiltinAtlas(id: string): id is BuiltinAtlasId {
  return id in BUILTIN_ATLASES;
}

/** The app's resources/ folder, found from wherever this module was built or run from. */
export function resourcesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i += 1) {
    if (existsSync(join(dir, 'resources', 'atlases'))) return join(dir, 'resources');
    dir = resolve(dir, '..');
  }
  throw new Error('The resources/atlases folder is missing from this installation.');
}

export function loadBuiltinAtlas(id: BuiltinAtlasId): Atlas {
  return JSON.parse(readFileSync(join(resourcesDir(), 'atlases', `${id}.json`), 'utf8')) as Atlas;
}
