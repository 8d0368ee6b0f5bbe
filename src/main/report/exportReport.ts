import type { ProjectStore } from '../store/projectStore';
import { comparisonHtml } from './comparisonHtml';
import { readComparisonData } from './comparisonData';
import type { PdfPrinter } from './printPdf';
import { readReportData } from './reportData';
import type { BrainFigure } from '../../shared/api';
import { reportHtml } from './reportHtml';

export interface ReportRequest {
  runId: number;
  format: 'html' | 'pdf';
  /** Subject identifiers appear only when this is true (default: left out). */
  includeSubjectIds?: boolean;
  figures?: BrainFigure[];
}

export interface ExportedReport {
  fileName: string;
  mimeType: 'text/html' | 'application/pdf';
  bytes: Buffer;
}

/** A run's report as HTML, or printed to PDF by the shell's printer. */
export async function exportReport(store: ProjectStore, request: ReportRequest, printPdf: PdfPrinter): Promise<ExportedReport> {
  const data = readReportData(store.db, request.runId, {
    includeSubjectIds: request.includeSubjectIds ?? false,
    sqliteVersion: store.sqliteVersion(),
  });
  const html = reportHtml(data, request.figures ?? []);
  const base = `neurolip-run-${request.runId}-report`;
  if (request.format === 'html') return { fileName: `${base}.html`, mimeType: 'text/html', bytes: Buffer.from(html, 'utf8') };
  return { fileName: `${base}.pdf`, mimeType: 'application/pdf', bytes: await printPdf(html) };
}

/** Several runs side by side (metrics, paired AUC differences, fairness gaps, configurations) as HTML or PDF; no subject identifiers. */
export async function exportComparison(
  store: ProjectStore,
  request: { runIds: number[]; format: 'html' | 'pdf' },
  printPdf: PdfPrinter,
): Promise<ExportedReport> {
  const html = comparisonHtml(readComparisonData(store.db, request.runIds, store.sqliteVersion()));
  const base = `neurolip-runs-${request.runIds.join('-')}-comparison`;
  if (request.format === 'html') return { fileName: `${base}.html`, mimeType: 'text/html', bytes: Buffer.from(html, 'utf8') };
  return { fileName: `${base}.pdf`, mimeType: 'application/pdf', bytes: await printPdf(html) };
}
