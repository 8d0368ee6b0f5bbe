import Papa from 'papaparse';
import { basename } from 'node:path';
import { ImportError } from '../importError';
import { decodeText, readSource } from '../readers/sourceFile';
import type { Atlas, AtlasRoi } from './atlas';

function find(columns: string[], pattern: RegExp): number {
  return columns.findIndex((name) => pattern.test(name.trim()));
}

/** "(x;y;z)" or "x;y;z" or "x y z" into three numbers, or null. */
function parseTriple(cell: string): [number, number, number] | null {
  const parts = cell
    .replace(/[()[\]]/g, '')
    .split(/[;,\s]+/)
    .filter((p) => p !== '')
    .map(Number);
  return parts.length === 3 && parts.every(Number.isFinite) ? (parts as [number, number, number]) : null;
}

/** The best-overlapping AAL label in a PCP overlap cell like `["Occipital_Mid_L": 0.81]["None": 0.1]`. */
function topOverlapLabel(cell: string | undefined): string | null {
  if (!cell) return null;
  let best: { label: string; weight: number } | null = null;
  for (const match of cell.matchAll(/"([^"]+)":\s*([\d.]+)/g)) {
    const weight = Number(match[2]);
    if (match[1] !== 'None' && (best === null || weight > best.weight)) best = { label: match[1]!, weight };
  }
  return best?.label ?? null;
}

/**
 * Reads an atlas table: one row per ROI, with its number or code, a label, and MNI coordinates as
 * x/y/z columns or one "(x;y;z)" column. This reads PCP's CC200_ROI_labels.csv as users get it:
 * CR line endings, quoted fields, centres of mass as "(x;y;z)", and no region names (the label is
 * then "#N" plus its best AAL overlap).
 */
export function readAtlasCsv(
  path: string,
  name = basename(path)
    .replace(/(_ROI)?_labels?\.(csv|tsv|txt)(\.gz)?$/i, '')
    .replace(/\.(csv|tsv|txt)(\.gz)?$/i, ''),
): Atlas {
  const source = readSource(path);
  const parsed = Papa.parse<string[]>(decodeText(source), { skipEmptyLines: 'greedy', delimitersToGuess: [',', '\t', ';'] });
  const [header, ...rows] = parsed.data;
  if (!header || rows.length === 0) throw new ImportError({ file: path }, 'the atlas table has no rows');
  const numberCol = find(header, /^(roi[ _]?(number|num|index|id)?|index|number|code|label[ _]?value|value)$/i);
  const labelCol = find(header, /^(label|name|region|roi[ _]?name|structure)$/i);
  const tripleCol = find(header, /center of mass|centroid|coordinates|mni/i);
  const xCol = find(header, /^(x|mni[ _]?x|x[ _]?mni)$/i);
  const yCol = find(header, /^(y|mni[ _]?y|y[ _]?mni)$/i);
  const zCol = find(header, /^(z|mni[ _]?z|z[ _]?mni)$/i);
  const aalCol = find(header, /^aal$/i);
  if (tripleCol === -1 && (xCol === -1 || yCol === -1 || zCol === -1)) {
    throw new ImportError({ file: path, line: 1 }, 'no coordinates: expected x, y and z columns or a "center of mass" column like (x;y;z)');
  }
  const rois: AtlasRoi[] = rows.map((row, i) => {
    const line = i + 2;
    if (row.length < header.length) throw new ImportError({ file: path, line }, `expected ${header.length} cells, found ${row.length}`);
    const coordinates =
      tripleCol !== -1 ? parseTriple(row[tripleCol]!) : ([xCol, yCol, zCol].map((c) => Number(row[c])) as [number, number, number]);
    if (!coordinates || !coordinates.every(Number.isFinite)) {
      throw new ImportError({ file: path, line, column: header[tripleCol !== -1 ? tripleCol : xCol] }, 'coordinates are not three numbers');
    }
    const numberCell = numberCol !== -1 ? row[numberCol]!.trim() : String(i + 1);
    const code = /^\d+$/.test(numberCell) ? Number(numberCell) : null;
    const overlap = topOverlapLabel(aalCol !== -1 ? row[aalCol] : undefined);
    const label = labelCol !== -1 ? row[labelCol]!.trim() : `#${numberCell}${overlap ? ` (${overlap})` : ''}`;
    return { code, label, x: coordinates[0], y: coordinates[1], z: coordinates[2] };
  });
  return {
    name,
    space: 'MNI152',
    provenance: { kind: 'csv', file: basename(path), sizeBytes: source.sizeBytes, sha256: source.sha256 },
    rois,
  };
}
