import { existsSync } from 'node:fs';
import type { AtlasRepository } from '../store/atlasRepository';
import type { Atlas } from './atlas/atlas';
import { readAtlasCsv } from './atlas/atlasCsv';
import { isBuiltinAtlas, loadBuiltinAtlas } from './atlas/builtinAtlases';
import { readNiftiAtlas } from './atlas/niftiAtlas';
import { ImportError } from './importError';

/** An atlas named by a built-in id, by the name of one already in the project, or by a CSV or NIfTI file path. */
export function resolveAtlas(spec: string | null, atlases: AtlasRepository): Atlas | null {
  if (spec === null) return null;
  if (isBuiltinAtlas(spec)) return loadBuiltinAtlas(spec);
  const stored = atlases.byName(spec);
  if (stored) return stored;
  if (!existsSync(spec))
    throw new ImportError(
      { file: spec },
      'no such atlas: not a built-in atlas (aal116, harvard-oxford-cort), not in this project, and not a file',
    );
  if (/\.nii(\.gz)?$/i.test(spec)) return readNiftiAtlas(spec);
  if (/\.(csv|tsv|txt)(\.gz)?$/i.test(spec)) return readAtlasCsv(spec);
  throw new ImportError(
    { file: spec },
    'an atlas file must be a CSV/TSV table of labels and coordinates, or a NIfTI label image (.nii, .nii.gz)',
  );
}
