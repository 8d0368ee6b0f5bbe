import type Database from 'better-sqlite3';
import type { DiagnosisGroups } from '../../shared/api';
import { checkDiagnosisCounts } from '../eval/folds';
import { CohortDataError } from './cohortDataError';

/** The subjects a run trains on, by diagnosis, and the name of its patient class. */
export interface PatientSelection {
  includes: (diagnosis: string) => boolean;
  /** One group's label, or several chosen groups' labels joined by "or". */
  patientLabel: string;
}

/**
 * The run's target: the controls against the chosen patient groups, as one class. None chosen
 * means every patient group the cohort has (one, usually; ADHD-200's subtypes when imported
 * apart); subjects of a patient group left out are not in the run at all.
 */
export function selectPatients(cohortName: string, control: string, patients: string[], chosen: readonly string[]): PatientSelection {
  if (patients.length === 0)
    throw new CohortDataError(
      `Cohort "${cohortName}" has no patient group besides its controls ("${control}"): there is nothing to predict.`,
    );
  const unknown = chosen.filter((label) => !patients.includes(label));
  if (unknown.length > 0)
    throw new CohortDataError(
      `${unknown.map((label) => `"${label}"`).join(', ')} ${unknown.length === 1 ? 'is not a patient group' : 'are not patient groups'} of cohort "${cohortName}" (patientGroups, --patients). Its patient groups: ${patients.map((label) => `"${label}"`).join(', ')} (controls: "${control}").`,
    );
  const included = chosen.length > 0 ? patients.filter((label) => chosen.includes(label)) : patients;
  return { includes: (diagnosis) => diagnosis === control || included.includes(diagnosis), patientLabel: included.join(' or ') };
}

/** The cohort's name, control group and patient groups with their sizes, patient groups in label order. */
function readGroups(db: Database.Database, cohortId: number): DiagnosisGroups & { name: string } {
  const cohort = db.prepare('SELECT name, mapping FROM cohorts WHERE id = ?').get(cohortId) as
    { name: string; mapping: string } | undefined;
  if (!cohort) throw new CohortDataError(`No cohort with id ${cohortId}.`);
  const control = (JSON.parse(cohort.mapping) as { diagnosis: { control: string } }).diagnosis.control;
  const counts = db
    .prepare(
      "SELECT json_extract(phenotype, '$.diagnosis') AS label, count(*) AS n FROM subjects WHERE cohort_id = ? GROUP BY label ORDER BY label",
    )
    .all(cohortId) as { label: unknown; n: number }[];
  const sized = counts.map((row) => ({ label: String(row.label), n: row.n }));
  return {
    name: cohort.name,
    control: { label: control, n: sized.find((group) => group.label === control)?.n ?? 0 },
    patients: sized.filter((group) => group.label !== control),
  };
}

/** The cohort's control group and patient groups with their sizes, patient groups in label order. */
export function cohortDiagnosisGroups(db: Database.Database, cohortId: number): DiagnosisGroups {
  const { control, patients } = readGroups(db, cohortId);
  return { control, patients };
}

/**
 * Refuses, before a run is queued, patient groups the cohort does not have (selectPatients' message)
 * and a cohort the protocol cannot split: one site for leave one site out, or too few subjects of a
 * diagnosis (checkDiagnosisCounts). Reads the phenotypes only, not the matrices.
 */
export function checkTrainable(db: Database.Database, cohortId: number, chosen: readonly string[], protocol: 'kfold5' | 'loso'): void {
  const groups = readGroups(db, cohortId);
  const selection = selectPatients(
    groups.name,
    groups.control.label,
    groups.patients.map((group) => group.label),
    chosen,
  );
  const subjects = (
    db
      .prepare(
        "SELECT json_extract(phenotype, '$.diagnosis') AS diagnosis, json_extract(phenotype, '$.site') AS site FROM subjects WHERE cohort_id = ?",
      )
      .all(cohortId) as { diagnosis: unknown; site: unknown }[]
  ).filter((subject) => selection.includes(String(subject.diagnosis)));
  checkDiagnosisCounts(
    subjects.map((subject) => (String(subject.diagnosis) === groups.control.label ? 0 : 1)),
    subjects.map((subject) => (subject.site === null || subject.site === '' ? null : String(subject.site))),
    protocol,
    { control: groups.control.label, patient: selection.patientLabel },
  );
}
