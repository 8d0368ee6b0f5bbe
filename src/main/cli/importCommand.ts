import { resolve } from 'node:path';
import { MATRIX_KINDS, type MatrixKind } from '../cohort/readers/connectivityMatrix';
import { readAhead } from '../cohort/readAhead';
import { SubjectPool } from '../cohort/subjectPool';
import { parseCommandArgs, parseNumberOption, UsageError } from './args';
import { TAKE_OVER_LOCK_FLAG } from './writableProject';

const IMPORT_OPTIONS = {
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
  ...TAKE_OVER_LOCK_FLAG,
} as const;

/** The import's options, checked but for --format (checked with the rest of the import's modules). */
export interface ImportArgs {
  values: ReturnType<typeof parseCommandArgs<typeof IMPORT_OPTIONS>>;
  phenotype: string;
  timeseries: string;
  matrixKind: MatrixKind;
  qc: { maxMeanFdMm?: number; minTimePoints?: number; maxMissingRois?: number; includeNoFilename?: true };
}

function isMatrixKind(value: string): value is MatrixKind {
  return (MATRIX_KINDS as readonly string[]).includes(value);
}

/**
 * `neurolip import`: the worker threads start first and read the files ahead, while this thread
 * loads the rest of the import's modules, detects the layout and opens the project (see
 * `importFromArgs`).
 */
export async function importCommand(args: string[]): Promise<void> {
  const values = parseCommandArgs('import', args, IMPORT_OPTIONS);
  if (!values.phenotype || !values.timeseries) throw new UsageError('neurolip import needs --phenotype CSV and --timeseries DIR.');
  const matrixKind = values['matrix-kind'];
  if (!isMatrixKind(matrixKind)) throw new UsageError(`--matrix-kind must be ${MATRIX_KINDS.join(', ')}.`);
  const maxFd = parseNumberOption('--max-fd', values['max-fd']);
  const minTimePoints = parseNumberOption('--min-timepoints', values['min-timepoints']);
  const maxMissingRois = parseNumberOption('--max-missing-rois', values['max-missing-rois']);
  const qc = {
    ...(maxFd !== undefined ? { maxMeanFdMm: maxFd } : {}),
    ...(minTimePoints !== undefined ? { minTimePoints } : {}),
    ...(maxMissingRois !== undefined ? { maxMissingRois } : {}),
    ...(values['include-no-filename'] ? { includeNoFilename: true as const } : {}),
  };
  const [phenotype, timeseries] = [resolve(values.phenotype), resolve(values.timeseries)];
  const pool = new SubjectPool();
  try {
    readAhead(pool, phenotype, timeseries, matrixKind);
    const { importFromArgs } = await import('./importFromArgs');
    await importFromArgs({ values, phenotype, timeseries, matrixKind, qc }, pool);
  } finally {
    await pool.close();
  }
}
