import { resolve } from 'node:path';
import { ImportLayout } from '../../shared/api';
import { importCohort } from '../cohort/importCohort';
import { buildImportRequest } from '../cohort/planImport';
import type { SubjectPool } from '../cohort/subjectPool';
import { UsageError } from './args';
import { formatImportSummary } from './formatImportSummary';
import type { ImportArgs } from './importCommand';
import { openWritableProject } from './writableProject';

/** The rest of `neurolip import`, once its workers are reading ahead: detects the layout, imports into the project, prints the summary. */
export async function importFromArgs({ values, phenotype, timeseries, matrixKind, qc }: ImportArgs, pool: SubjectPool): Promise<void> {
  const format = values.format === 'auto' ? undefined : ImportLayout.safeParse(values.format);
  if (format && !format.success) throw new UsageError(`--format must be auto, ${ImportLayout.options.join(', ')}; not "${values.format}".`);
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
    qc,
    matrixKind,
  });
  const { store, close } = openWritableProject(values.project, 'import', values['take-over-lock']);
  try {
    const summary = await importCohort(store, request, { pool, dryRun: values['dry-run'] });
    console.log(values.json ? JSON.stringify(summary, null, 2) : formatImportSummary(summary, values['dry-run']));
  } finally {
    close();
  }
}
