import type Database from 'better-sqlite3';
import { float32FromBlob, uint8FromBlob } from '../store/blobs';
import { CohortRepository } from '../store/cohortRepository';
import { CohortDataError } from './cohortDataError';
import { selectPatients } from './diagnosisGroups';
import { phenotypeColumns } from './sensitiveAttributes';
import type { TrainConfig } from '../model/trainConfig';
import { needsTimeSeries, type SubjectSeries } from './timeWindows';

/** A cohort in memory for training: subjects sorted by external id, as the fold assignment expects. */
export interface CohortData {
  cohortId: number;
  subjectIds: number[];
  externalIds: string[];
  rois: number;
  /** [N, R, R] Fisher-z connectivity. */
  fc: Float32Array;
  /** [N, R] 1 where the subject's ROI was empty. */
  missing: Uint8Array;
  /** 1 = patient, 0 = control. */
  dx: Int32Array;
  /** Each subject's head motion (mean framewise displacement, mm) from the import; NaN where unknown. */
  motion: Float64Array;
  labels: { control: string; patient: string };
  /** Every phenotype column as strings (null when missing): sex, ageGroup, site and the kept columns. */
  attributes: Record<string, (string | null)[]>;
  groundTruth: { pDx: number[]; pSex: number[] } | null;
  roiLabels: string[];
  /** Each subject's ROI time series (null for a subject imported as a matrix); loaded only for time-window augmentation. */
  series?: (SubjectSeries | null)[];
}

/** What training with `config` loads of a cohort (every process that trains a fold loads the same). */
export function trainingDataOptions(
  config: Pick<TrainConfig, 'timeWindow' | 'variant' | 'patientGroups'>,
): Parameters<typeof loadCohortData>[2] {
  return { timeSeries: needsTimeSeries(config), patientGroups: config.patientGroups };
}

/**
 * Loads a cohort's matrices and phenotypes, and with `timeSeries` its ROI time series too: its
 * controls and the patient groups `patientGroups` names (every patient group, as one class, when it
 * names none; selectPatients). Asking for time series of a cohort that has none is an error.
 */
export function loadCohortData(
  db: Database.Database,
  cohortId: number,
  options: { timeSeries?: boolean; patientGroups?: readonly string[] } = {},
): CohortData {
  const cohort = db.prepare('SELECT name, roi_count AS rois, mapping, ground_truth AS truth FROM cohorts WHERE id = ?').get(cohortId) as
    { name: string; rois: number; mapping: string; truth: string | null } | undefined;
  if (!cohort) throw new CohortDataError(`No cohort with id ${cohortId}.`);
  const control = (JSON.parse(cohort.mapping) as { diagnosis: { control: string } }).diagnosis.control;
  const stored = db
    .prepare(
      `SELECT s.id, s.external_id AS externalId, s.phenotype, s.qc, f.matrix, f.missing_rois AS missing
       FROM subjects s JOIN connectivity f ON f.subject_id = s.id WHERE s.cohort_id = ? ORDER BY s.external_id`,
    )
    .all(cohortId) as { id: number; externalId: string; phenotype: string; qc: string | null; matrix: Buffer; missing: Buffer }[];
  const withPhenotype = stored.map((row) => ({ row, phenotype: JSON.parse(row.phenotype) as Record<string, string | number | null> }));
  const patientLabels = [...new Set(withPhenotype.map(({ phenotype }) => String(phenotype.diagnosis)))]
    .filter((label) => label !== control)
    .sort();
  const selection = selectPatients(cohort.name, control, patientLabels, options.patientGroups ?? []);
  const rows = withPhenotype.filter(({ phenotype }) => selection.includes(String(phenotype.diagnosis)));
  const r = cohort.rois;
  const n = rows.length;
  const fc = new Float32Array(n * r * r);
  const missing = new Uint8Array(n * r);
  const dx = new Int32Array(n);
  const motion = Float64Array.from(rows, ({ row }) => meanFd(row.qc));
  rows.forEach(({ row, phenotype }, i) => {
    fc.set(float32FromBlob(row.matrix), i * r * r);
    missing.set(uint8FromBlob(row.missing), i * r);
    dx[i] = String(phenotype.diagnosis) === control ? 0 : 1;
  });
  const roiLabels = (
    db
      .prepare(
        `SELECT coalesce(a.label, r.column_name) AS label FROM cohort_rois r JOIN cohorts c ON c.id = r.cohort_id
         LEFT JOIN atlas_rois a ON a.atlas_id = c.atlas_id AND a.roi_index = r.atlas_roi_index WHERE r.cohort_id = ? ORDER BY r.roi_index`,
      )
      .all(cohortId) as { label: string }[]
  ).map((row) => row.label);
  return {
    cohortId,
    subjectIds: rows.map(({ row }) => row.id),
    externalIds: rows.map(({ row }) => row.externalId),
    rois: r,
    fc,
    missing,
    dx,
    motion,
    labels: { control, patient: selection.patientLabel },
    attributes: phenotypeColumns(rows.map(({ phenotype }) => phenotype)),
    groundTruth: cohort.truth ? (JSON.parse(cohort.truth) as { pDx: number[]; pSex: number[] }) : null,
    roiLabels,
    ...(options.timeSeries
      ? {
          series: loadSeries(
            db,
            cohort.name,
            rows.map(({ row }) => row.id),
          ),
        }
      : {}),
  };
}

/**
 * The configuration with motion adjustment off where no subject of the cohort has a mean framewise
 * displacement: the adjustment acts where motion was measured, and a run stores what it did.
 */
export function withMeasuredMotion<C extends Pick<TrainConfig, 'motionAdjustment' | 'motionErasure'>>(
  db: Database.Database,
  cohortId: number,
  config: C,
): C {
  if (!config.motionAdjustment && !config.motionErasure) return config;
  return (new CohortRepository(db).get(cohortId)?.withMotion ?? 0) > 0
    ? config
    : { ...config, motionAdjustment: false, motionErasure: false };
}

/** The mean framewise displacement in a subject's stored quality figures; NaN when the import had none. */
function meanFd(qc: string | null): number {
  const value = qc ? (JSON.parse(qc) as { meanFd?: unknown }).meanFd : null;
  return typeof value === 'number' && Number.isFinite(value) ? value : Number.NaN;
}

function loadSeries(db: Database.Database, cohortName: string, subjectIds: number[]): (SubjectSeries | null)[] {
  const read = db.prepare('SELECT time_points AS timePoints, series FROM timeseries WHERE subject_id = ?');
  const series = subjectIds.map((id) => {
    const row = read.get(id) as { timePoints: number; series: Buffer } | undefined;
    return row ? { timePoints: row.timePoints, values: float32FromBlob(row.series) } : null;
  });
  if (series.every((one) => one === null)) {
    throw new CohortDataError(
      `Cohort "${cohortName}" has no ROI time series (it was imported as connectivity matrices), so its connectivity cannot be recomputed from time windows. Set the time window to 1 (the whole scan).`,
    );
  }
  return series;
}
