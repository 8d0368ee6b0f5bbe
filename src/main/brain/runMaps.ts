/** The attention maps a run stored, and its cohort's connectivity difference, read for the brain view. */
import type Database from 'better-sqlite3';
import { RunSummary, type BrainRunMaps, type BrainToken, type ConnectivityDifference, type SubjectMap } from '../../shared/api';
import { mapOverlap } from '../eval/attentionSummary';
import { CohortRepository } from '../store/cohortRepository';
import { float32FromBlob, uint8FromBlob } from '../store/blobs';
import { RunRepository } from '../store/runRepository';

/** A run, or a map of it, that the project does not hold. */
export class RunMapsError extends Error {}

interface StoredGroupMaps {
  groups: Record<string, number[]>;
  contrast: number[];
  overlap: Record<string, number>;
}

/**
 * The stored maps without the groups that have none: runs trained before 2026-12-08 stored, for a
 * token no test subject had in its fold (each site in leave-one-site-out), a map and an overlap
 * of nulls (NaN in JSON).
 */
function withoutEmptyGroups(maps: StoredGroupMaps): StoredGroupMaps {
  return {
    groups: Object.fromEntries(Object.entries(maps.groups).filter(([, map]) => map.every((v) => typeof v === 'number'))),
    contrast: maps.contrast,
    overlap: Object.fromEntries(Object.entries(maps.overlap).filter(([, value]) => typeof value === 'number')),
  };
}

function describeToken(id: string, control: string): BrainToken {
  if (id === 'contrast') return { id, kind: 'contrast', label: 'Patient minus control' };
  if (id.startsWith('dx:')) {
    const group = id.slice(3);
    return { id, kind: 'diagnosis', label: `Diagnosis: ${group}${group === control ? ' (control)' : ''}` };
  }
  if (id.startsWith('own:')) return { id, kind: 'sensitive', label: `Own ${id.slice(4)} token` };
  const [attribute, value] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
  return { id, kind: 'sensitive', label: `${attribute}: ${value}` };
}

function controlGroup(db: Database.Database, cohortId: number): string {
  const row = db.prepare("SELECT json_extract(mapping, '$.diagnosis.control') AS control FROM cohorts WHERE id = ?").get(cohortId) as
    { control: string | null } | undefined;
  return row?.control ?? '';
}

function runCohort(db: Database.Database, runId: number): number {
  const config = new RunRepository(db).config(runId);
  if (!config) throw new RunMapsError(`There is no run ${runId} in this project.`);
  return config.cohortId;
}

/** A finished run's group maps, tokens, ROIs and the subjects whose own maps are stored. */
export function readRunMaps(db: Database.Database, runId: number): BrainRunMaps {
  const cohortId = runCohort(db, runId);
  const stored = new RunRepository(db).summary(runId);
  if (stored === undefined) throw new RunMapsError(`Run ${runId} has not finished, so it has no maps yet.`);
  const storedMaps = RunSummary.parse(stored).maps as StoredGroupMaps | null;
  if (!storedMaps)
    throw new RunMapsError(`Run ${runId} has no attention maps (its variant has no token attention; train a NeuroLIP variant).`);
  const maps = withoutEmptyGroups(storedMaps);
  const control = controlGroup(db, cohortId);
  const cohorts = new CohortRepository(db);
  const rois = cohorts.rois(cohortId);
  const tokens = (
    db.prepare("SELECT DISTINCT token FROM attention_maps WHERE run_id = ? AND scope = 'subject' ORDER BY token").all(runId) as {
      token: string;
    }[]
  ).map((row) => row.token);
  const dxTokens = tokens.filter((t) => t.startsWith('dx:'));
  const subjects = db
    .prepare(
      `SELECT DISTINCT s.id, s.external_id AS externalId, json_extract(s.phenotype, '$.diagnosis') AS diagnosis
       FROM attention_maps m JOIN subjects s ON s.id = m.subject_id
       WHERE m.run_id = ? AND m.scope = 'subject' ORDER BY s.external_id`,
    )
    .all(runId) as { id: number; externalId: string; diagnosis: unknown }[];
  return {
    runId,
    cohortId,
    atlas: cohorts.get(cohortId)?.atlas ?? null,
    rois,
    groupTokens: [...Object.keys(maps.groups), 'contrast'].map((id) => describeToken(id, control)),
    groupMaps: { ...maps.groups, contrast: maps.contrast },
    subjectTokens: [...tokens, ...(dxTokens.length === 2 ? ['contrast'] : [])].map((id) => describeToken(id, control)),
    subjects: subjects.map((s) => ({ id: s.id, externalId: s.externalId, diagnosis: String(s.diagnosis) })),
    overlap: maps.overlap,
  };
}

/** Bhattacharyya overlap of two of a run's group maps (sensitive or diagnosis tokens; not the signed contrast). */
export function groupMapOverlap(db: Database.Database, runId: number, tokens: [string, string]): number {
  const { groupMaps } = readRunMaps(db, runId);
  const [a, b] = tokens.map((token) => {
    if (token === 'contrast')
      throw new RunMapsError('The contrast has negative values; overlap compares attention maps (choose two tokens).');
    const map = groupMaps[token];
    if (!map) throw new RunMapsError(`Run ${runId} has no group map for "${token}".`);
    return map;
  });
  return mapOverlap(a!, b!);
}

function storedSubjectMap(db: Database.Database, runId: number, subjectId: number, token: string): Float32Array | undefined {
  const row = db
    .prepare(
      "SELECT weights FROM attention_maps WHERE run_id = ? AND subject_id = ? AND token = ? AND scope = 'subject' ORDER BY fold LIMIT 1",
    )
    .get(runId, subjectId, token) as { weights: Buffer } | undefined;
  return row ? float32FromBlob(row.weights) : undefined;
}

/** One subject's out-of-fold map for a stored token, or `contrast`: their patient-token map minus their control-token map. */
export function readSubjectMap(db: Database.Database, runId: number, subjectId: number, token: string): SubjectMap {
  const cohortId = runCohort(db, runId);
  const missing = (): RunMapsError => new RunMapsError(`Run ${runId} stored no "${token}" map for subject ${subjectId}.`);
  if (token !== 'contrast') {
    const values = storedSubjectMap(db, runId, subjectId, token);
    if (!values) throw missing();
    return { subjectId, token, values: Array.from(values) };
  }
  const control = controlGroup(db, cohortId);
  const dx = (
    db.prepare("SELECT DISTINCT token FROM attention_maps WHERE run_id = ? AND scope = 'subject' AND token LIKE 'dx:%'").all(runId) as {
      token: string;
    }[]
  ).map((row) => row.token);
  const patientToken = dx.find((t) => t !== `dx:${control}`);
  const patient = patientToken ? storedSubjectMap(db, runId, subjectId, patientToken) : undefined;
  const controlMap = storedSubjectMap(db, runId, subjectId, `dx:${control}`);
  if (!patient || !controlMap) throw missing();
  return { subjectId, token, values: Array.from(patient, (v, r) => v - controlMap[r]!) };
}

/**
 * The group difference in connectivity over the run's cohort: mean Fisher-z matrix of the patients
 * minus that of the controls, each mean skipping a subject's masked ROIs (pairs no one has are 0).
 */
export function connectivityDifference(db: Database.Database, runId: number): ConnectivityDifference {
  const cohortId = runCohort(db, runId);
  const control = controlGroup(db, cohortId);
  const r = new CohortRepository(db).get(cohortId)!.rois;
  const sums = [new Float64Array(r * r), new Float64Array(r * r)];
  const counts = [new Float64Array(r * r), new Float64Array(r * r)];
  const subjects = [0, 0];
  const rows = db
    .prepare(
      `SELECT f.matrix, f.missing_rois AS missing, json_extract(s.phenotype, '$.diagnosis') AS diagnosis
       FROM connectivity f JOIN subjects s ON s.id = f.subject_id WHERE s.cohort_id = ?`,
    )
    .iterate(cohortId) as Iterable<{ matrix: Buffer; missing: Buffer; diagnosis: unknown }>;
  for (const row of rows) {
    const group = String(row.diagnosis) === control ? 0 : 1;
    const matrix = float32FromBlob(row.matrix);
    const missing = uint8FromBlob(row.missing);
    subjects[group]! += 1;
    for (let i = 0; i < r; i += 1) {
      if (missing[i]) continue;
      for (let j = 0; j < r; j += 1) {
        if (missing[j]) continue;
        sums[group]![i * r + j]! += matrix[i * r + j]!;
        counts[group]![i * r + j]! += 1;
      }
    }
  }
  const mean = (group: number, k: number): number => (counts[group]![k]! > 0 ? sums[group]![k]! / counts[group]![k]! : 0);
  return {
    rois: r,
    patients: subjects[1]!,
    controls: subjects[0]!,
    values: Array.from({ length: r * r }, (_, k) => (counts[0]![k]! > 0 && counts[1]![k]! > 0 ? mean(1, k) - mean(0, k) : 0)),
  };
}
