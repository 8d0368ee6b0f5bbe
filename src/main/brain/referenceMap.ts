import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { ReferenceMap } from '../../shared/api';
import { readLabelLookup } from '../cohort/atlas/niftiAtlas';
import { ImportError } from '../cohort/importError';
import { AtlasRepository } from '../store/atlasRepository';
import { readNiftiVolume } from './niftiVolume';
import { parcellateVolume } from './parcellateVolume';
import { readReferenceCsv } from './referenceCsv';
import { RunMapsError } from './runMaps';

interface RunRoi {
  label: string;
  code: number | null;
  atlasIndex: number | null;
}

function runRois(db: Database.Database, runId: number): { rois: RunRoi[]; atlas: string | null } {
  const run = db.prepare('SELECT cohort_id AS cohortId FROM runs WHERE id = ?').get(runId) as { cohortId: number } | undefined;
  if (!run) throw new RunMapsError(`There is no run ${runId} in this project.`);
  const rois = db
    .prepare(
      `SELECT coalesce(a.label, r.column_name) AS label, a.code, r.atlas_roi_index AS atlasIndex
       FROM cohort_rois r JOIN cohorts c ON c.id = r.cohort_id
       LEFT JOIN atlas_rois a ON a.atlas_id = c.atlas_id AND a.roi_index = r.atlas_roi_index
       WHERE r.cohort_id = ? ORDER BY r.roi_index`,
    )
    .all(run.cohortId) as RunRoi[];
  const atlas = db.prepare('SELECT a.name FROM cohorts c JOIN atlases a ON a.id = c.atlas_id WHERE c.id = ?').get(run.cohortId) as
    { name: string } | undefined;
  return { rois, atlas: atlas?.name ?? null };
}

/** The label image an atlas was derived from, with its lookup, when that file is on this machine. */
function atlasLabelImage(db: Database.Database, atlasName: string | null): { image: string; lookup: string | null } | null {
  const atlas = atlasName ? new AtlasRepository(db).byName(atlasName) : undefined;
  const volume = (atlas?.provenance.volume as { file?: string } | undefined)?.file;
  if (!volume || !existsSync(volume)) return null;
  const labels = (atlas!.provenance.labels as { file?: string } | undefined)?.file;
  return { image: volume, lookup: labels && existsSync(labels) ? labels : null };
}

/**
 * Parcellates a NIfTI volume on the run's atlas. A label value is a ROI's code when a lookup table
 * (MRIcron's "index name code" .nii.txt) names it so, else the value itself is the code; atlases
 * without codes use value N for their N-th ROI.
 */
function parcellateOnAtlas(db: Database.Database, path: string, rois: RunRoi[], atlasName: string | null, given?: string): number[] {
  const found = given ? { image: given, lookup: null } : atlasLabelImage(db, atlasName);
  if (!found) {
    throw new ImportError(
      { file: path },
      `the label image of the atlas ${atlasName ?? '(none)'} is not on this machine; give the atlas's label image to parcellate on`,
    );
  }
  const siblingLookup = found.image.replace(/\.nii(\.gz)?$/i, '.nii.txt');
  const lookupPath = found.lookup ?? (siblingLookup !== found.image && existsSync(siblingLookup) ? siblingLookup : null);
  const lookup = lookupPath ? readLabelLookup(lookupPath) : new Map<number, { label: string; code: number }>();
  const hasCodes = rois.some((roi) => roi.code !== null);
  const roiByKey = new Map<number, number>();
  rois.forEach((roi, index) => {
    if (hasCodes && roi.code !== null) roiByKey.set(roi.code, index);
    else if (!hasCodes && roi.atlasIndex !== null) roiByKey.set(roi.atlasIndex + 1, index);
  });
  const roiOf = (value: number): number | undefined => roiByKey.get(lookup.get(value)?.code ?? value);
  const reference = readNiftiVolume(path);
  const labels = readNiftiVolume(found.image);
  const { values } = parcellateVolume(reference, labels, roiOf, rois.length);
  const empty = rois.filter((_, r) => Number.isNaN(values[r]!)).map((roi) => roi.label);
  if (empty.length === rois.length) {
    throw new ImportError({ file: path }, `no ROI of the atlas overlaps the image on ${basename(found.image)}; are both in MNI space?`);
  }
  if (empty.length > 0) {
    throw new ImportError(
      { file: path },
      `${empty.length} ROIs have no voxel inside the image (${empty.slice(0, 5).join(', ')}${empty.length > 5 ? ', …' : ''})`,
    );
  }
  return Array.from(values);
}

/** A reference map for a run's ROIs, from a CSV of values or a NIfTI volume (.nii, .nii.gz). */
export function readReferenceMap(db: Database.Database, runId: number, path: string, labelImage?: string): ReferenceMap {
  const { rois, atlas } = runRois(db, runId);
  if (/\.nii(\.gz)?$/i.test(path)) {
    return { file: basename(path), kind: 'nifti', values: parcellateOnAtlas(db, path, rois, atlas, labelImage) };
  }
  return {
    file: basename(path),
    kind: 'csv',
    values: readReferenceCsv(
      path,
      rois.map((roi) => roi.label),
    ),
  };
}
