import { TRPCError } from '@trpc/server';
import { ComparisonReportRequest, ReportFile, ReportRequest } from '../../shared/api';
import { exportComparison, exportReport, type ExportedReport } from '../report/exportReport';
import { PdfUnavailableError } from '../report/printPdf';
import { ReportError } from '../report/reportData';
import { procedure, router } from './trpc';

/** The file for the renderer to save; the user's mistakes (an unknown or unfinished run, no chromium) worded. */
async function reportFile(make: () => Promise<ExportedReport>): Promise<ReportFile> {
  try {
    const report = await make();
    return { fileName: report.fileName, mimeType: report.mimeType, base64: report.bytes.toString('base64') };
  } catch (error) {
    if (error instanceof ReportError) throw new TRPCError({ code: 'NOT_FOUND', message: error.message });
    if (error instanceof PdfUnavailableError) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: error.message });
    throw error;
  }
}

export const reportsRouter = router({
  /** A run's report as a self-contained HTML file or a PDF (printed by the shell: chromium, or Electron in the desktop). */
  run: procedure
    .input(ReportRequest)
    .output(ReportFile)
    .mutation(({ ctx, input }) => reportFile(() => exportReport(ctx.core.store, input, ctx.core.printPdf))),
  /** Finished runs side by side, as HTML or PDF. */
  compare: procedure
    .input(ComparisonReportRequest)
    .output(ReportFile)
    .mutation(({ ctx, input }) => reportFile(() => exportComparison(ctx.core.store, input, ctx.core.printPdf))),
});
