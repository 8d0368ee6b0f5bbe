import { resolve } from 'node:path';
import { ImportLayout, MatrixKind, type ImportSummary } from '../../shared/api';
import { deriveBuiltinAtlases } from '../cohort/atlas/deriveBuiltinAtlases';
import { importCohort } from '../cohort/importCohort';
import { buildImportRequest } from '../cohort/planImport';
import { readAhead } from '../cohort/readAhead';
import { SubjectPool } from '../cohort/subjectPool';
import { CohortRepository } from '../store/cohortRepository';
import { ProjectStore } from '../store/projectStore';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importDemoCohort } from '../synth/demoCohort';
import { DEFAULT_SYNTHETIC } from '../synth/syntheticCohort';
import { parseCommandArgs, UsageError } from './args';
import { projectPath } from './projectOption';
import { openWritableProject } from './writableProject';

function parseNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number)) throw new UsageError(`${flag} must be a number, not "${value}".`);
  return number;
}

export function formatImportSummary(summary: ImportSummary, dryRun: boolean): string {
  const q = summary.qcCounts;
  const lines = [
    `${dryRun ? 'Would import' : 'Imported'} cohort "${summary.cohort}": ${summary.subjects} subjects, ${summary.rois} ROIs${summary.atlas ? ` (${summary.atlas}; ${summary.roisWithCoordinates} with coordinates)` : ''}, in ${summary.seconds.toFixed(1)} s.`,
    `Phenotype rows: ${q.phenotypeRows}; data files: ${q.dataFiles}; rows without imaging: ${q.rowsWithoutImaging}; files without a phenotype row: ${q.filesWithoutPhenotype}.`,
    `Excluded: ${summary.excluded.length} (no diagnosis ${q.excludedByMissingDiagnosis}, mean FD ${q.excludedByMeanFd}, time points ${q.excludedByTimePoints}, empty ROIs ${q.excludedByMissingRois}, no phenotype ${q.filesWithoutPhenotype}).`,
    ...summary.excluded.map((e) => `  - ${e.subject}: ${e.reason} [${e.where}]`),
    ...summary.warnings.map((w) => `Warning: ${w}`),
  ];
  return lines.join('\n');
}

export async function importCommand(args: string[]): Promise<void> {
  const values = parseCommandArgs('import', args, {
    project: { type: 'string' },
    name: { type: 'string' },
    phenotype: { type: 'string' },
    timeseries: { type: 'string' },
    format: { type: 'string', default: 'auto' },
    atlas: { type: 'string' },
    mapping: { type: 'string' },
    'max-fd': { type: 'string' },
    'min-timepoints': { type: 'string' },
    'max-missing-rois': { type: 'string' },
    'include-no-filename': { type: 'boolean', default: false },
    'matrix-kind': { type: 'string', default: 'auto' },
    'dry-run': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  });
  if (!values.phenotype || !values.timeseries) throw new UsageError('neurolip import needs --phenotype CSV and --timeseries DIR.');
  const format = values.format === 'auto' ? undefined : ImportLayout.safeParse(values.format);
  if (format && !format.success) throw new UsageError(`--format must be auto, ${ImportLayout.options.join(', ')}; not "${values.format}".`);
  const matrixKind = MatrixKind.safeParse(values['matrix-kind']);
  if (!matrixKind.success) throw new UsageError(`--matrix-kind must be ${MatrixKind.options.join(', ')}.`);
  const maxFd = parseNumber('--max-fd', values['max-fd']);
  const minTimePoints = parseNumber('--min-timepoints', values['min-timepoints']);
  const maxMissingRois = parseNumber('--max-missing-rois', values['max-missing-rois']);
  // The workers start first and read the files ahead, while this thread detects the layout and opens the project.
  const [phenotype, timeseries] = [resolve(values.phenotype), resolve(values.timeseries)];
  const pool = new SubjectPool();
  try {
    readAhead(pool, phenotype, timeseries, matrixKind.data);
    const request = buildImportRequest(phenotype, timeseries, {
      name: values.name,
      layout: format?.data,
      atlas:
        values.atlas === undefined
          ? undefined
          : values.atlas === 'none'
            ? null
            : /[/\\.]/.test(values.atlas)
              ? resolve(values.atlas)
              : values.atlas,
      mappingFile: values.mapping ? resolve(values.mapping) : undefined,
      qc: {
        ...(maxFd !== undefined ? { maxMeanFdMm: maxFd } : {}),
        ...(minTimePoints !== undefined ? { minTimePoints } : {}),
        ...(maxMissingRois !== undefined ? { maxMissingRois } : {}),
        ...(values['include-no-filename'] ? { includeNoFilename: true } : {}),
      },
      matrixKind: matrixKind.data,
    });
    const { store, close } = openWritableProject(values.project, 'import');
    try {
      const summary = await importCohort(store, request, { pool, dryRun: values['dry-run'] });
      console.log(values.json ? JSON.stringify(summary, null, 2) : formatImportSummary(summary, values['dry-run']));
    } finally {
      close();
    }
  } finally {
    await pool.close();
  }
}

export async function cohortsCommand(args: string[]): Promise<void> {
  const values = parseCommandArgs('cohorts', args, { project: { type: 'string' }, json: { type: 'boolean', default: false } });
  const store = ProjectStore.open(projectPath(values.project));
  try {
    const cohorts = new CohortRepository(store.db).list();
    if (values.json) console.log(JSON.stringify(cohorts, null, 2));
    else if (cohorts.length === 0) console.log('No cohorts yet. Import one with `neurolip import`, or try `neurolip demo`.');
    else
      for (const c of cohorts)
        console.log(
          `${c.id}\t${c.name}\t${c.subjects} subjects\t${c.rois} ROIs\t${c.atlas ?? 'no atlas'}${c.synthetic ? '\tsynthetic' : ''}`,
        );
  } finally {
    store.close();
  }
}

/** Developer command: derives resources/atlases from MRIcron's templates (`npm run atlases`). */
export async function deriveAtlasesCommand(args: string[]): Promise<void> {
  const values = parseCommandArgs('derive-atlases', args, {
    templates: { type: 'string', default: '/usr/share/mricron/templates' },
    out: { type: 'string', default: 'resources/atlases' },
  });
  const atlases = deriveBuiltinAtlases(values.templates);
  mkdirSync(values.out, { recursive: true });
  for (const [id, atlas] of Object.entries(atlases)) {
    writeFileSync(join(values.out, `${id}.json`), `${JSON.stringify(atlas, null, 1)}\n`);
    console.log(`${id}: ${atlas.rois.length} ROIs -> ${join(values.out, `${id}.json`)}`);
  }
}

export async function demoCommand(args: string[]): Promise<void> {
  const values = parseCommandArgs('demo', args, {
    project: { type: 'string' },
    subjects: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const subjects = parseNumber('--subjects', values.subjects) ?? DEFAULT_SYNTHETIC.subjects;
  const seed = parseNumber('--seed', values.seed) ?? DEFAULT_SYNTHETIC.seed;
  if (!Number.isInteger(subjects) || subjects < 20 || subjects > 5000)
    throw new UsageError('--subjects must be an integer from 20 to 5000.');
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError('--seed must be a non-negative integer.');
  const { store, close } = openWritableProject(values.project, 'demo');
  try {
    const demo = await importDemoCohort(store, { ...DEFAULT_SYNTHETIC, subjects, seed });
    if (values.json) {
      console.log(
        JSON.stringify(
          {
            cohortId: demo.cohortId,
            cohort: demo.name,
            folder: demo.folder,
            reused: demo.summary === null,
            summary: demo.summary,
            truth: demo.truth,
          },
          null,
          2,
        ),
      );
    } else {
      console.log(
        demo.summary
          ? formatImportSummary(demo.summary, false)
          : `The demo cohort "${demo.name}" is already in this project (id ${demo.cohortId}).`,
      );
      console.log(`Synthetic data with planted ground truth (P_dx: ${demo.truth.pDxLabels.join(', ')}), written to ${demo.folder}.`);
    }
  } finally {
    close();
  }
}
