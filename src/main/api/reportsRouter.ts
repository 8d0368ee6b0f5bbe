import { TRPCError } from '@trpc/server';
import { ReportFile, ReportRequest } from '../../shared/api';
import { exportReport } from '../report/exportReport';
import { PdfUnavailableError } from '../report/printPdf';
import { ReportError } from '../report/reportData';
import { procedure, router } from './trpc';

export const reportsRouter = router({
  /** A run's report as a self-contained HTML file or a PDF (printed by the shell: chromium, or Electron in the desktop). */
  run: procedure
    .input(ReportRequest)
    .output(ReportFile)
    .mutation(async ({ ctx, input }) => {
      try {
        const report = await exportReport(ctx.core.store, input, ctx.core.printPdf);
        return { fileName: report.fileName, mimeType: report.mimeType, base64: report.bytes.toString('base64') };
      } catch (error) {
        if (error instanceof ReportError) throw new TRPCError({ code: 'NOT_FOUND', message: error.message });
        if (error instanceof PdfUnavailableError) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: error.message });
        throw error;
      }
    }),
});
