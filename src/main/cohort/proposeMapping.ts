import { basename, dirname } from 'node:path';
import { DEFAULT_QC, type ColumnSummary, type ImportLayout, type ImportMapping, type ImportProposal } from '../../shared/api';
import { fileKeyOf, isMatrixOnlyFile, listDataFiles } from './dataFiles';
import { ImportError } from './importError';
import { roleColumns } from './phenotypeRoles';
import { cellOf, type PhenotypeTable } from './readers/phenotypeTable';

const ADHD200_SITES: Record<string, string> = {
  '1': 'Peking',
  '2': 'Brown',
  '3': 'KKI',
  '4': 'NeuroIMAGE',
  '5': 'NYU',
  '6': 'OHSU',
  '7': 'Pittsburgh',
  '8': 'WashU',
};

function findColumn(table: PhenotypeTable, candidates: string[]): string | null {
  const lower = new Map(table.columns.map((name) => [name.toLowerCase(), name]));
  for (const candidate of candidates) {
    const found = lower.get(candidate.toLowerCase());
    if (found) return found;
  }
  return null;
}

export function summariseColumns(table: PhenotypeTable): ColumnSummary[] {
  return table.columns.map((name, index) => {
    const counts = new Map<string, number>();
    for (const row of table.rows) counts.set(row.cells[index]!, (counts.get(row.cells[index]!) ?? 0) + 1);
    const values = [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([value, count]) => ({ value, count }));
    const numeric = [...counts.keys()].every((value) => value === '' || Number.isFinite(Number(value)));
    return { name, distinct: counts.size, values, numeric };
  });
}

/** The layout, from the phenotype table's columns and the data files' names and types. */
export function detectLayout(table: PhenotypeTable, files: string[]): ImportLayout {
  const has = (name: string): boolean => findColumn(table, [name]) !== null;
  if (files.length > 0 && files.every(isMatrixOnlyFile)) return 'fc';
  if (has('FILE_ID') && has('DX_GROUP')) return 'pcp';
  if (has('ScanDir ID') || (has('DX') && has('Gender'))) return 'adhd200';
  if (has('participant_id')) return 'bids';
  return 'fc';
}

function distinctValues(table: PhenotypeTable, column: string, missing: string[]): string[] {
  return [...new Set(table.rows.map((row) => cellOf(table, row, column)))].filter((v) => v !== '' && !missing.includes(v)).sort();
}

/** Codes for a column whose values are already words: each value is its own label. */
function identityCodes(values: string[]): Record<string, string> {
  return Object.fromEntries(values.map((value) => [value, value]));
}

function sexCodes(values: string[]): Record<string, string> {
  const known: Record<string, string> = { m: 'male', male: 'male', f: 'female', female: 'female' };
  return Object.fromEntries(values.map((value) => [value, known[value.toLowerCase()] ?? value]));
}

function genericMapping(table: PhenotypeTable, missingValues: string[]): ImportMapping {
  const subjectId = findColumn(table, ['participant_id', 'subject_id', 'subject', 'id', 'SUB_ID']) ?? table.columns[0]!;
  const dxColumn = findColumn(table, ['diagnosis', 'dx', 'dx_group', 'group', 'DX_GROUP']);
  if (dxColumn === null) {
    throw new ImportError(
      { file: table.path, line: 1 },
      'no diagnosis column found (looked for diagnosis, dx, dx_group, group); map one by hand',
    );
  }
  const dxValues = distinctValues(table, dxColumn, missingValues);
  const control =
    dxValues.find((v) => /^(control|controls|td|hc|healthy|typical|tdc|nc|cn)$/i.test(v)) ?? dxValues[dxValues.length - 1] ?? 'control';
  const sexColumn = findColumn(table, ['sex', 'gender']);
  const ageColumn = findColumn(table, ['age', 'age_at_scan']);
  const siteColumn = findColumn(table, ['site', 'site_id', 'scanner', 'center']);
  const fdColumn = findColumn(table, ['mean_fd', 'meanfd', 'func_mean_fd', 'fd_mean']);
  return {
    subjectId,
    diagnosis: { column: dxColumn, codes: identityCodes(dxValues), control },
    sex: sexColumn ? { column: sexColumn, codes: sexCodes(distinctValues(table, sexColumn, missingValues)) } : null,
    age: ageColumn ? { column: ageColumn } : null,
    site: siteColumn ? { column: siteColumn } : null,
    meanFd: fdColumn ? { column: fdColumn } : null,
    missingValues,
    keepColumns: [],
  };
}

function layoutMapping(layout: ImportLayout, table: PhenotypeTable): ImportMapping {
  if (layout === 'pcp') {
    return {
      subjectId: 'FILE_ID',
      diagnosis: { column: 'DX_GROUP', codes: { '1': 'autism', '2': 'control' }, control: 'control' },
      sex: findColumn(table, ['SEX']) ? { column: 'SEX', codes: { '1': 'male', '2': 'female' } } : null,
      age: findColumn(table, ['AGE_AT_SCAN']) ? { column: 'AGE_AT_SCAN' } : null,
      site: findColumn(table, ['SITE_ID']) ? { column: 'SITE_ID' } : null,
      meanFd: findColumn(table, ['func_mean_fd']) ? { column: 'func_mean_fd' } : null,
      missingValues: ['-9999', 'no_filename'],
      keepColumns: [],
    };
  }
  if (layout === 'adhd200') {
    const id = findColumn(table, ['ScanDir ID', 'ScanDirID', 'ID'])!;
    const site = findColumn(table, ['Site']);
    const sex = findColumn(table, ['Gender', 'Sex']);
    const age = findColumn(table, ['Age']);
    return {
      subjectId: id,
      diagnosis: {
        column: findColumn(table, ['DX'])!,
        codes: { '0': 'control', '1': 'ADHD', '2': 'ADHD', '3': 'ADHD' },
        control: 'control',
      },
      sex: sex ? { column: sex, codes: { '1': 'male', '0': 'female' } } : null,
      age: age ? { column: age } : null,
      site: site ? { column: site, codes: ADHD200_SITES } : null,
      meanFd: null,
      missingValues: ['-999', 'N/A', 'pending'],
      keepColumns: [],
    };
  }
  return genericMapping(table, ['n/a', 'NA', 'NaN', '-9999', '-999']);
}

/** Every column not given a role is kept with the subject, so it can be used later (e.g. as a sensitive attribute). */
function withKeptColumns(mapping: ImportMapping, table: PhenotypeTable): ImportMapping {
  const used = new Set(roleColumns(mapping));
  return { ...mapping, keepColumns: table.columns.filter((name) => !used.has(name) && !/^\(column \d+\)$/.test(name)) };
}

/**
 * Looks at the files and proposes a layout, a column mapping, QC settings and an atlas. The column
 * summaries, which only the import wizard shows, are left to `summariseColumns`.
 */
export function proposeImport(table: PhenotypeTable, dataPath: string): Omit<ImportProposal, 'columns'> {
  const files = listDataFiles(dataPath, [table.path]);
  const layout = detectLayout(table, files);
  const mapping = withKeptColumns(layoutMapping(layout, table), table);
  const notes: string[] = [];
  let atlas: string | null = null;
  if (layout === 'pcp') {
    const suffixes = new Set(files.map((file) => fileKeyOf(file, 'pcp')?.atlasSuffix).filter((s) => s !== undefined));
    if (suffixes.size > 1) notes.push(`The folder mixes atlases (${[...suffixes].join(', ')}); import one at a time.`);
    const suffix = [...suffixes][0];
    atlas = suffix === 'aal' ? 'aal116' : suffix === 'ho' ? 'harvard-oxford-cort' : null;
    if (suffix === 'cc200' || suffix === 'cc400')
      notes.push(
        `${suffix.toUpperCase()} files: choose the atlas's label CSV (e.g. ${suffix.toUpperCase()}_ROI_labels.csv) to get ROI names and coordinates.`,
      );
  }
  const folderName =
    basename(dataPath) === 'rois_cc200' || basename(dataPath).startsWith('rois_') ? basename(dirname(dataPath)) : basename(dataPath);
  return {
    layout,
    mapping,
    qc: DEFAULT_QC,
    atlas,
    dataFiles: files.length,
    suggestedName: folderName || 'cohort',
    notes,
  };
}
