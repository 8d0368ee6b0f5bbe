import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ImportSummary } from '../../shared/api';
import { importCohort, type ImportContext } from '../cohort/importCohort';
import { buildImportRequest } from '../cohort/planImport';
import { CohortRepository } from '../store/cohortRepository';
import type { ProjectStore } from '../store/projectStore';
import { writeSyntheticCohort, type GroundTruth, type SyntheticOptions } from './syntheticCohort';

export interface DemoResult {
  cohortId: number;
  name: string;
  folder: string;
  truth: GroundTruth;
  /** Null when the demo cohort was already in the project and was reused. */
  summary: ImportSummary | null;
}

export function demoCohortName(options: SyntheticOptions): string {
  return `Demo (synthetic, seed ${options.seed}, ${options.subjects} subjects)`;
}

/**
 * Generates the synthetic demo cohort next to the project (once per seed and size) and imports it
 * through the same importer as real data, with its ground truth. Running it again reuses the cohort.
 */
export async function importDemoCohort(store: ProjectStore, options: SyntheticOptions, context: ImportContext = {}): Promise<DemoResult> {
  const name = demoCohortName(options);
  const folder = join(
    dirname(store.path),
    `neurolip-demo-seed${options.seed}-n${options.subjects}-r${options.rois}-t${options.timePoints}`,
  );
  const existing = new CohortRepository(store.db).list().find((cohort) => cohort.name === name);
  const truthFile = join(folder, 'truth.json');
  if (existing && existsSync(truthFile)) {
    return { cohortId: existing.id, name, folder, truth: JSON.parse(readFileSync(truthFile, 'utf8')) as GroundTruth, summary: null };
  }
  context.progress?.(0, 'Generating the synthetic cohort');
  const truth = writeSyntheticCohort(folder, options);
  const request = buildImportRequest(join(folder, 'phenotype.csv'), folder, { name, atlas: 'aal116' });
  const summary = await importCohort(store, request, {
    ...context,
    groundTruth: truth,
    progress: (fraction, message) => context.progress?.(0.2 + 0.8 * fraction, message),
  });
  return { cohortId: summary.cohortId!, name, folder, truth, summary };
}
