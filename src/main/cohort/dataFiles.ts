import { readdirSync, statSync, type Dirent } from 'node:fs';
import { basename, join } from 'node:path';
import type { ImportLayout } from '../../shared/api';
import { ImportError } from './importError';

const DATA_EXTENSIONS = /\.(1d|tsv|csv|txt|npy|mat)(\.gz)?$/i;

/** Data files under `dir` (two levels deep, for BIDS-like sub-XX/func/ folders), sorted by path. */
export function listDataFiles(dir: string, exclude: string[] = []): string[] {
  const found: string[] = [];
  const walk = (folder: string, depth: number): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      throw new ImportError(
        { file: folder },
        `the folder cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      const kind = entryKind(entry, path);
      if (kind === 'folder') {
        if (depth < 2) walk(path, depth + 1);
      } else if (kind === 'file' && DATA_EXTENSIONS.test(entry.name) && !exclude.includes(path)) {
        found.push(path);
      }
    }
  };
  walk(dir, 0);
  return found;
}

/**
 * What a folder's entry is, following links: the entry's own type where it is not a link (no
 * system call per file), else what the link leads to; null where it leads nowhere.
 */
function entryKind(entry: Dirent, path: string): 'folder' | 'file' | null {
  if (!entry.isSymbolicLink()) return entry.isDirectory() ? 'folder' : 'file';
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file';
  } catch {
    return null;
  }
}

/** Whether a data file can only be a connectivity matrix (.npy or .mat), never time series. */
export function isMatrixOnlyFile(path: string): boolean {
  return /\.(npy|mat)(\.gz)?$/i.test(path);
}

/** A file name without its data and gzip extensions. */
export function fileStem(path: string): string {
  return basename(path)
    .replace(/\.gz$/i, '')
    .replace(/\.(1d|tsv|csv|txt|npy|mat)$/i, '');
}

export interface FileKey {
  /** The subject key the file belongs to, comparable with subjectKeyOfId(). */
  key: string;
  /** PCP only: the atlas suffix in `_rois_<atlas>`. */
  atlasSuffix?: string;
}

/** Which subject a data file belongs to, read from its name as each layout writes it. */
export function fileKeyOf(path: string, layout: ImportLayout): FileKey | null {
  const stem = fileStem(path);
  switch (layout) {
    case 'pcp': {
      const match = /^(.+?)_rois_([A-Za-z0-9]+)$/.exec(stem);
      return match ? { key: match[1]!, atlasSuffix: match[2]!.toLowerCase() } : null;
    }
    case 'adhd200': {
      const match = /(\d{5,})/.exec(stem);
      return match ? { key: String(Number(match[1])) } : null;
    }
    case 'bids': {
      const match = /sub-([A-Za-z0-9]+)/.exec(stem);
      return match ? { key: match[1]! } : null;
    }
    case 'fc': {
      const match = /sub-([A-Za-z0-9]+)/.exec(stem);
      return { key: match ? match[1]! : stem.split('_')[0]! };
    }
  }
}

/** The key of a phenotype id cell, normalised the same way as fileKeyOf(). */
export function subjectKeyOfId(value: string, layout: ImportLayout): string {
  const id = value.trim();
  if (layout === 'adhd200' && /^\d+$/.test(id)) return String(Number(id));
  if (layout === 'bids' || layout === 'fc') return id.replace(/^sub-/, '');
  return id;
}
