import { z } from 'zod';
import { LocalPath } from './files';

/** The source layouts the importer knows. */
export const ImportLayout = z.enum(['pcp', 'adhd200', 'bids', 'fc']);
export type ImportLayout = z.infer<typeof ImportLayout>;

export const LAYOUT_LABELS: Record<ImportLayout, string> = {
  pcp: 'ABIDE, Preprocessed Connectomes Project (.1D time series)',
  adhd200: 'ADHD-200 (Athena time courses)',
  bids: 'BIDS-like (participants.tsv + one time-series table per subject)',
  fc: 'Precomputed connectivity matrices (CSV/TSV, .npy, .mat)',
};

const Column = z.string().min(1).max(200);
/** Raw cell value -> label, e.g. { "1": "autism", "2": "control" }. */
const Codes = z.record(z.string().max(100), z.string().min(1).max(100));

/** Which phenotype column plays which role, and what its codes mean. */
export const ImportMapping = z
  .object({
    /** The column whose value names each subject's file(s). */
    subjectId: Column,
    diagnosis: z.object({
      column: Column,
      codes: Codes,
      /** The label of the control group; every other label is a patient group. */
      control: z.string().min(1).max(100),
    }),
    sex: z.object({ column: Column, codes: Codes }).nullable(),
    age: z.object({ column: Column }).nullable(),
    site: z.object({ column: Column, codes: Codes.optional() }).nullable(),
    meanFd: z.object({ column: Column }).nullable(),
    /** Cell values that mean "missing", besides the empty cell. */
    missingValues: z.array(z.string().max(50)).max(20),
    /** Other phenotype columns kept with each subject. */
    keepColumns: z.array(Column).max(500),
  })
  .refine((m) => Object.values(m.diagnosis.codes).includes(m.diagnosis.control), {
    message: 'the control label must be one of the diagnosis labels',
    path: ['diagnosis', 'control'],
  });
export type ImportMapping = z.infer<typeof ImportMapping>;

export const QcOptions = z.object({
  /** Subjects whose mean framewise displacement (mm) exceeds this are excluded; null keeps all. */
  maxMeanFdMm: z.number().positive().max(10).nullable(),
  minTimePoints: z.number().int().min(10).max(100000),
  /** Subjects with more constant (empty) ROIs than this are excluded; null keeps all (their empty ROIs are masked). */
  maxMissingRois: z.number().int().min(0).max(100000).nullable(),
  /**
   * PCP quirk: some files belong to subjects whose phenotype row says FILE_ID = no_filename.
   * By default they are excluded (as PCP marks them); true matches them by SUB_ID instead.
   */
  includeNoFilename: z.boolean(),
});
export type QcOptions = z.infer<typeof QcOptions>;

export const DEFAULT_QC: QcOptions = { maxMeanFdMm: null, minTimePoints: 50, maxMissingRois: null, includeNoFilename: false };

/** Where the files are: absolute paths on the machine that runs the app. */
export const ImportSource = z.object({
  phenotypePath: LocalPath,
  dataPath: LocalPath,
});
export type ImportSource = z.infer<typeof ImportSource>;

export const MatrixKind = z.enum(['auto', 'correlation', 'fisher-z']);

export const ImportRequest = ImportSource.extend({
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[^\0/\\]+$/, 'a name without slashes'),
  layout: ImportLayout,
  /** A built-in atlas id, an atlas already in the project (by name), or an atlas file (CSV or NIfTI); null for none. */
  atlas: z.string().min(1).max(4096).nullable(),
  mapping: ImportMapping,
  qc: QcOptions,
  /** For precomputed matrices only. */
  matrixKind: MatrixKind,
});
export type ImportRequest = z.infer<typeof ImportRequest>;

export const ColumnSummary = z.object({
  name: z.string(),
  distinct: z.number().int(),
  /** Up to 20 most frequent values with counts. */
  values: z.array(z.object({ value: z.string(), count: z.number().int() })),
  numeric: z.boolean(),
});
export type ColumnSummary = z.infer<typeof ColumnSummary>;

/** What `detect` proposes: the user reviews and may change all of it. */
export const ImportProposal = z.object({
  layout: ImportLayout,
  mapping: ImportMapping,
  qc: QcOptions,
  atlas: z.string().nullable(),
  columns: z.array(ColumnSummary),
  dataFiles: z.number().int(),
  suggestedName: z.string(),
  notes: z.array(z.string()),
});
export type ImportProposal = z.infer<typeof ImportProposal>;

export const ExcludedSubject = z.object({
  subject: z.string(),
  reason: z.string(),
  /** The file or phenotype line the reason refers to. */
  where: z.string(),
});
export type ExcludedSubject = z.infer<typeof ExcludedSubject>;

export const GroupCount = z.object({ diagnosis: z.string(), sex: z.string(), site: z.string(), count: z.number().int() });

/** The outcome of an import, or of its dry run (the QC preview). */
export const ImportSummary = z.object({
  cohortId: z.number().int().nullable(),
  cohort: z.string(),
  layout: ImportLayout,
  subjects: z.number().int(),
  rois: z.number().int(),
  atlas: z.string().nullable(),
  /** Data columns matched to atlas ROIs (with coordinates). */
  roisWithCoordinates: z.number().int(),
  excluded: z.array(ExcludedSubject),
  warnings: z.array(z.string()),
  counts: z.array(GroupCount),
  qcCounts: z.object({
    phenotypeRows: z.number().int(),
    dataFiles: z.number().int(),
    rowsWithoutImaging: z.number().int(),
    filesWithoutPhenotype: z.number().int(),
    excludedByMeanFd: z.number().int(),
    excludedByTimePoints: z.number().int(),
    excludedByMissingRois: z.number().int(),
    excludedByMissingDiagnosis: z.number().int(),
  }),
  seconds: z.number(),
});
export type ImportSummary = z.infer<typeof ImportSummary>;

export const DemoRequest = z.object({
  subjects: z.number().int().min(20).max(5000).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .optional(),
});

export const AtlasChoice = z.object({ id: z.string(), name: z.string(), kind: z.enum(['builtin', 'project']) });
export type AtlasChoice = z.infer<typeof AtlasChoice>;
