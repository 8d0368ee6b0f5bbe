import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportReport } from '../report/exportReport';
import { chromiumPdf } from '../report/printPdf';
import { ReportError } from '../report/reportData';
import { ProjectStore } from '../store/projectStore';
import { parseCommandArgs, UsageError } from './args';
import { projectPath } from './projectOption';

/** `neurolip export --project FILE --run ID --format html|pdf --out PATH [--include-subject-ids]` */
export async function exportCommand(args: string[]): Promise<void> {
  const values = parseCommandArgs('export', args, {
    project: { type: 'string' },
    run: { type: 'string' },
    format: { type: 'string', default: 'html' },
    out: { type: 'string' },
    'include-subject-ids': { type: 'boolean', default: false },
  });
  const runId = Number(values.run);
  if (!values.run || !Number.isInteger(runId) || runId < 1) throw new UsageError('neurolip export needs --run ID (a run number).');
  if (values.format !== 'html' && values.format !== 'pdf') throw new UsageError('--format must be html or pdf.');
  if (!values.out) throw new UsageError('neurolip export needs --out PATH for the report file.');
  const store = ProjectStore.open(projectPath(values.project));
  try {
    const report = await exportReport(
      store,
      { runId, format: values.format, includeSubjectIds: values['include-subject-ids'] },
      chromiumPdf,
    ).catch((error: unknown) => {
      throw error instanceof ReportError ? new UsageError(error.message) : error;
    });
    const out = resolve(values.out);
    writeFileSync(out, report.bytes);
    console.log(
      `Wrote the ${values.format.toUpperCase()} report of run ${runId} to ${out} (${report.bytes.length} bytes; subject identifiers ${values['include-subject-ids'] ? 'included' : 'left out'}).`,
    );
  } finally {
    store.close();
  }
}
