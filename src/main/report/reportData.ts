import type Database from 'better-sqlite3';
import { version as appVersion } from '../../../package.json';
import { RunSummary, type BrainRunMaps, type CohortListItem, type ConfoundCheck, type SubjectRow } from '../../shared/api';
import { readRunMaps, RunMapsError } from '../brain/runMaps';
import { runConfoundChecks } from '../eval/confounds';
import { CohortRepository } from '../store/cohortRepository';
import { RunRepository, type RunRow } from '../store/runRepository';
import { SOURCE_FINGERPRINT } from '../sourceFingerprint';
import { tfjsVersion } from '../tf/backend';

/** Everything a run's report shows, read from the project (no subject identifiers unless asked for). */
export interface ReportData {
  run: RunRow;
  summary: RunSummary;
  cohort: CohortListItem;
  /** Per-subject rows for the cohort summary and QC; external ids are blanked unless opted in. */
  subjects: SubjectRow[];
  maps: BrainRunMaps | null;
  /** The run's out-of-fold predictions with the subjects' external ids: only when opted in. */
  predictions: { externalId: string; fold: number; label: number; score: number }[] | null;
  /** Head motion, age and scan length against the patient probability, within each diagnosis class. */
  confounds: ConfoundCheck[];
  /** The software that trained the run, as stored with it. */
  trainedWith: Record<string, string>;
  /** The software writing this report. */
  versions: Record<string, string>;
  generatedAt: string;
}

export class ReportError extends Error {}

export function readReportData(
  db: Database.Database,
  runId: number,
  options: { includeSubjectIds: boolean; sqliteVersion: string },
): ReportData {
  const runs = new RunRepository(db);
  const run = runs.list().find((row) => row.id === runId);
  if (!run) throw new ReportError(`There is no run ${runId} in this project.`);
  const stored = runs.summary(runId);
  if (stored === undefined) throw new ReportError(`Run ${runId} has not finished (${run.status}), so there is nothing to report yet.`);
  const summary = RunSummary.parse(stored);
  const cohorts = new CohortRepository(db);
  const cohort = cohorts.get(run.cohortId);
  if (!cohort) throw new ReportError(`Run ${runId}'s cohort is no longer in this project.`);
  const rows = cohorts.subjects(run.cohortId);
  let maps: BrainRunMaps | null = null;
  try {
    maps = readRunMaps(db, runId);
  } catch (error) {
    if (!(error instanceof RunMapsError)) throw error;
  }
  const externalIds = new Map(rows.map((row) => [row.id, row.externalId]));
  return {
    run,
    summary,
    cohort,
    subjects: rows.map((row) => ({ ...row, externalId: options.includeSubjectIds ? row.externalId : '' })),
    maps: maps && { ...maps, subjects: options.includeSubjectIds ? maps.subjects : [] },
    predictions: options.includeSubjectIds
      ? runs
          .predictions(runId)
          .map((p) => ({ externalId: externalIds.get(p.subjectId) ?? String(p.subjectId), fold: p.fold, label: p.label, score: p.score }))
      : null,
    confounds: runConfoundChecks(db, runId) ?? [],
    trainedWith: trainedWith(runs.versions(runId), summary.backend),
    versions: {
      'NeuroLIP Studio': appVersion,
      'Source fingerprint': SOURCE_FINGERPRINT,
      'TensorFlow.js': tfjsVersion(),
      'Back end': summary.backend,
      'Node.js': process.versions.node,
      ...(process.versions.electron ? { Electron: process.versions.electron } : {}),
      SQLite: options.sqliteVersion,
      Platform: `${process.platform}-${process.arch}`,
    },
    generatedAt: new Date().toISOString(),
  };
}

/** A run's stored versions (runExperiment) under the names the report's own use. */
function trainedWith(stored: Record<string, string>, backend: string): Record<string, string> {
  const named: [string, string | undefined][] = [
    ['NeuroLIP Studio', stored.app],
    ['Source fingerprint', stored.source],
    ['TensorFlow.js', stored.tfjs],
    ['Back end', backend],
    ['Node.js', stored.node],
  ];
  return Object.fromEntries(named.filter((entry): entry is [string, string] => entry[1] !== undefined));
}
