import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { predictionsCsv } from '../../shared/csv';
import { predictionTable } from '../eval/predictionTable';
import { exportComparison, exportReport } from '../report/exportReport';
import { chromiumPdf } from '../report/printPdf';
import { ReportError } from '../report/reportData';
import { ProjectStore } from '../store/projectStore';
import { parseCommandArgs, UsageError } from './args';
import { projectPath } from './projectOption';

/**
 * `neurolip export --project FILE --run ID[,ID...] --format html|pdf --out PATH [--include-subject-ids]`:
 * one run's report, or a comparison; `--format csv`: one run's out-of-fold predictions, a line per subject.
 */
export async function exportCommand(args: string[]): Promise<void> {
  const values = parseCommandArgs('export', args, {
    project: { type: 'string' },
    run: { type: 'string' },
    format: { type: 'string', default: 'html' },
    out: { type: 'string' },
    'include-subject-ids': { type: 'boolean', default: false },
  });
  const runIds = (values.run ?? '').split(',').map(Number);
  if (!values.run || runIds.some((id) => !Number.isInteger(id) || id < 1))
    throw new UsageError('neurolip export needs --run ID (a run number), or --run ID,ID,... to compare runs.');
  if (new Set(runIds).size !== runIds.length) throw new UsageError('--run names each run once.');
  if (runIds.length > 12) throw new UsageError('A comparison holds at most 12 runs.');
  if (values.format !== 'html' && values.format !== 'pdf' && values.format !== 'csv')
    throw new UsageError('--format must be html, pdf or csv.');
  if (!values.out) throw new UsageError('neurolip export needs --out PATH for the report file.');
  if (values.format === 'csv') return exportPredictions(values.project, runIds, resolve(values.out));
  if (runIds.length > 1 && values['include-subject-ids'])
    throw new UsageError("A comparison of runs never lists subjects; --include-subject-ids applies to one run's report.");
  const store = ProjectStore.open(projectPath(values.project));
  try {
    const format = values.format;
    const report = await (
      runIds.length === 1
        ? exportReport(store, { runId: runIds[0]!, format, includeSubjectIds: values['include-subject-ids'] }, chromiumPdf)
        : exportComparison(store, { runIds, format }, chromiumPdf)
    ).catch((error: unknown) => {
      throw error instanceof ReportError ? new UsageError(error.message) : error;
    });
    const out = resolve(values.out);
    writeFileSync(out, report.bytes);
    console.log(
      `Wrote the ${format.toUpperCase()} ${runIds.length === 1 ? `report of run ${runIds[0]}` : `comparison of runs ${runIds.join(', ')}`} to ${out} (${report.bytes.length} bytes; subject identifiers ${values['include-subject-ids'] ? 'included' : 'left out'}).`,
    );
  } finally {
    store.close();
  }
}

/** One run's predictions as CSV, a line per subject with its ID (a table for the lab's own analyses). */
function exportPredictions(project: string | undefined, runIds: number[], out: string): void {
  if (runIds.length > 1) throw new UsageError("--format csv writes one run's predictions: name one run.");
  const store = ProjectStore.open(projectPath(project));
  try {
    const table = predictionTable(store.db, runIds[0]!);
    if (!table) throw new UsageError(`There is no finished run ${runIds[0]} in this project.`);
    const text = predictionsCsv(table);
    writeFileSync(out, text);
    console.log(`Wrote the predictions of run ${runIds[0]} to ${out} (${table.rows.length} subjects, with their identifiers).`);
  } finally {
    store.close();
  }
}
