import type Database from 'better-sqlite3';
import type { CohortDetail, CohortListItem, CohortRoi, ImportMapping, ImportSummary, MeanConnectivity, SubjectRow } from '../../shared/api';
import type { Atlas } from '../cohort/atlas/atlas';
import { float32FromBlob, toBlob, uint8FromBlob } from './blobs';

export interface NewSubject {
  externalId: string;
  site: string | null;
  /** Roles (diagnosis, sex, age, ageGroup, site) plus the kept phenotype columns. */
  phenotype: Record<string, string | number | null>;
  qc: { meanFd: number | null; timePoints: number | null; missingRois: number[] };
  missing: Uint8Array;
  timePoints: number | null;
  /**
   * The R x R float32 connectivity and the T x R series (when the source had them), asked for when
   * the subject is written, so that a cohort's arrays need not all be in memory at once. They may
   * be reused buffers, valid until the next subject's.
   */
  readArrays: () => { connectivity: Float32Array; series: Float32Array | null };
}

export interface NewCohort {
  name: string;
  layout: string;
  mapping: ImportMapping;
  atlas: Atlas | null;
  /** The data's ROI columns, in matrix order. */
  columns: string[];
  /** For each column, the index of its atlas ROI, or null. */
  atlasRoiIndex: (number | null)[];
  groundTruth: unknown;
  subjects: NewSubject[];
  provenance: {
    options: unknown;
    summary: ImportSummary;
    fingerprint: string;
    importedBy: string;
    files: { path: string; sizeBytes: number; sha256: string; role: 'phenotype' | 'data' | 'atlas' }[];
  };
}

export class CohortNameTakenError extends Error {}

/** Reads and writes cohorts: subjects, connectivity, time series, atlas and provenance. */
export class CohortRepository {
  constructor(private readonly db: Database.Database) {}

  /** The earlier import of exactly these files with these options, if any. */
  findImport(fingerprint: string): { cohort: string; importedAt: string } | undefined {
    return this.db
      .prepare(
        'SELECT c.name AS cohort, i.imported_at AS importedAt FROM imports i JOIN cohorts c ON c.id = i.cohort_id WHERE i.fingerprint = ?',
      )
      .get(fingerprint) as { cohort: string; importedAt: string } | undefined;
  }

  nameTaken(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM cohorts WHERE name = ?').get(name) !== undefined;
  }

  private atlasId(atlas: Atlas): number {
    const existing = this.db.prepare('SELECT id, provenance FROM atlases WHERE name = ?').get(atlas.name) as
      { id: number; provenance: string } | undefined;
    if (existing) return existing.id;
    const id = Number(
      this.db
        .prepare('INSERT INTO atlases (name, space, source, provenance) VALUES (?, ?, ?, ?)')
        .run(atlas.name, atlas.space, String(atlas.provenance.kind ?? 'file'), JSON.stringify(atlas.provenance)).lastInsertRowid,
    );
    const insert = this.db.prepare('INSERT INTO atlas_rois (atlas_id, roi_index, label, x, y, z, code) VALUES (?, ?, ?, ?, ?, ?, ?)');
    atlas.rois.forEach((roi, index) => insert.run(id, index, roi.label, roi.x, roi.y, roi.z, roi.code));
    return id;
  }

  /** Writes a whole cohort in one transaction: all of it, or nothing. Returns its id. */
  insert(cohort: NewCohort): number {
    return this.db.transaction(() => {
      if (this.nameTaken(cohort.name))
        throw new CohortNameTakenError(`A cohort named "${cohort.name}" already exists in this project; choose another name.`);
      const atlasId = cohort.atlas ? this.atlasId(cohort.atlas) : null;
      const cohortId = Number(
        this.db
          .prepare('INSERT INTO cohorts (name, atlas_id, roi_count, layout, mapping, ground_truth) VALUES (?, ?, ?, ?, ?, ?)')
          .run(
            cohort.name,
            atlasId,
            cohort.columns.length,
            cohort.layout,
            JSON.stringify(cohort.mapping),
            cohort.groundTruth === null ? null : JSON.stringify(cohort.groundTruth),
          ).lastInsertRowid,
      );
      const insertRoi = this.db.prepare('INSERT INTO cohort_rois (cohort_id, roi_index, column_name, atlas_roi_index) VALUES (?, ?, ?, ?)');
      cohort.columns.forEach((column, index) => insertRoi.run(cohortId, index, column, cohort.atlasRoiIndex[index] ?? null));
      const insertSubject = this.db.prepare('INSERT INTO subjects (cohort_id, external_id, site, phenotype, qc) VALUES (?, ?, ?, ?, ?)');
      const insertFc = this.db.prepare('INSERT INTO connectivity (subject_id, roi_count, matrix, missing_rois) VALUES (?, ?, ?, ?)');
      const insertSeries = this.db.prepare('INSERT INTO timeseries (subject_id, time_points, roi_count, series) VALUES (?, ?, ?, ?)');
      for (const subject of cohort.subjects) {
        const subjectId = Number(
          insertSubject.run(cohortId, subject.externalId, subject.site, JSON.stringify(subject.phenotype), JSON.stringify(subject.qc))
            .lastInsertRowid,
        );
        const { connectivity, series } = subject.readArrays();
        insertFc.run(subjectId, cohort.columns.length, toBlob(connectivity), toBlob(subject.missing));
        if (series && subject.timePoints !== null) insertSeries.run(subjectId, subject.timePoints, cohort.columns.length, toBlob(series));
      }
      const { provenance } = cohort;
      const importId = Number(
        this.db
          .prepare('INSERT INTO imports (cohort_id, options, summary, fingerprint, imported_by) VALUES (?, ?, ?, ?, ?)')
          .run(
            cohortId,
            JSON.stringify(provenance.options),
            JSON.stringify({ ...provenance.summary, cohortId }),
            provenance.fingerprint,
            provenance.importedBy,
          ).lastInsertRowid,
      );
      const insertFile = this.db.prepare('INSERT INTO import_files (import_id, path, size_bytes, sha256, role) VALUES (?, ?, ?, ?, ?)');
      for (const file of provenance.files) insertFile.run(importId, file.path, file.sizeBytes, file.sha256, file.role);
      return cohortId;
    })();
  }

  list(): CohortListItem[] {
    return this.listed('ORDER BY c.id');
  }

  get(cohortId: number): CohortListItem | undefined {
    return this.listed('WHERE c.id = ?', cohortId)[0];
  }

  /** The cohorts' list entries, chosen and ordered by `clause` (its parameters follow). */
  private listed(clause: string, ...parameters: unknown[]): CohortListItem[] {
    const rows = this.db
      .prepare(
        `SELECT c.id, c.name, c.layout, c.roi_count AS rois, a.name AS atlas, c.ground_truth IS NOT NULL AS synthetic, c.created_at AS createdAt,
                (SELECT count(*) FROM subjects s WHERE s.cohort_id = c.id) AS subjects,
                (SELECT count(*) FROM subjects s WHERE s.cohort_id = c.id AND json_type(s.qc, '$.meanFd') IN ('real', 'integer')) AS withMotion
         FROM cohorts c LEFT JOIN atlases a ON a.id = c.atlas_id ${clause}`,
      )
      .all(...parameters) as (Omit<CohortListItem, 'synthetic'> & { synthetic: number })[];
    return rows.map((row) => ({ ...row, synthetic: row.synthetic === 1 }));
  }

  subjects(cohortId: number): SubjectRow[] {
    const rows = this.db
      .prepare(
        `SELECT s.id, s.external_id AS externalId, s.phenotype, s.qc, t.time_points AS timePoints
         FROM subjects s LEFT JOIN timeseries t ON t.subject_id = s.id WHERE s.cohort_id = ? ORDER BY s.external_id`,
      )
      .all(cohortId) as { id: number; externalId: string; phenotype: string; qc: string; timePoints: number | null }[];
    return rows.map((row) => {
      const phenotype = JSON.parse(row.phenotype) as Record<string, string | number | null>;
      const qc = JSON.parse(row.qc) as NewSubject['qc'];
      return {
        id: row.id,
        externalId: row.externalId,
        diagnosis: String(phenotype.diagnosis),
        sex: (phenotype.sex as string | null) ?? null,
        age: (phenotype.age as number | null) ?? null,
        site: (phenotype.site as string | null) ?? null,
        meanFd: qc.meanFd,
        timePoints: row.timePoints ?? qc.timePoints,
        missingRois: qc.missingRois.length,
      };
    });
  }

  rois(cohortId: number): CohortRoi[] {
    return this.db
      .prepare(
        `SELECT r.roi_index AS "index", r.column_name AS "column", coalesce(a.label, r.column_name) AS label, a.x, a.y, a.z
         FROM cohort_rois r JOIN cohorts c ON c.id = r.cohort_id
         LEFT JOIN atlas_rois a ON a.atlas_id = c.atlas_id AND a.roi_index = r.atlas_roi_index
         WHERE r.cohort_id = ? ORDER BY r.roi_index`,
      )
      .all(cohortId) as CohortRoi[];
  }

  detail(cohortId: number): CohortDetail | undefined {
    const cohort = this.get(cohortId);
    if (!cohort) return undefined;
    const summary = this.db.prepare('SELECT summary FROM imports WHERE cohort_id = ? ORDER BY id DESC LIMIT 1').get(cohortId) as
      { summary: string } | undefined;
    return {
      ...cohort,
      subjectsTable: this.subjects(cohortId),
      roisTable: this.rois(cohortId),
      summary: summary ? JSON.parse(summary.summary) : null,
    };
  }

  /** The mean Fisher-z connectivity over subjects, skipping each subject's masked ROIs. */
  meanConnectivity(cohortId: number): MeanConnectivity | undefined {
    const cohort = this.get(cohortId);
    if (!cohort) return undefined;
    const r = cohort.rois;
    const sum = new Float64Array(r * r);
    const count = new Float64Array(r * r);
    const rows = this.db
      .prepare('SELECT f.matrix, f.missing_rois FROM connectivity f JOIN subjects s ON s.id = f.subject_id WHERE s.cohort_id = ?')
      .iterate(cohortId) as Iterable<{ matrix: Buffer; missing_rois: Buffer }>;
    for (const row of rows) {
      const matrix = float32FromBlob(row.matrix);
      const missing = uint8FromBlob(row.missing_rois);
      for (let i = 0; i < r; i += 1) {
        if (missing[i]) continue;
        for (let j = 0; j < r; j += 1) {
          if (missing[j]) continue;
          sum[i * r + j]! += matrix[i * r + j]!;
          count[i * r + j]! += 1;
        }
      }
    }
    return { rois: r, values: Array.from(sum, (value, k) => (count[k]! > 0 ? value / count[k]! : 0)) };
  }

  rename(cohortId: number, name: string): void {
    if (this.nameTaken(name))
      throw new CohortNameTakenError(`A cohort named "${name}" already exists in this project; choose another name.`);
    this.db.prepare('UPDATE cohorts SET name = ? WHERE id = ?').run(name, cohortId);
  }

  /** Deletes a cohort with everything that hangs off it (subjects, matrices, runs), in one transaction. */
  delete(cohortId: number): boolean {
    return this.db.prepare('DELETE FROM cohorts WHERE id = ?').run(cohortId).changes > 0;
  }
}
