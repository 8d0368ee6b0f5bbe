import type { ImportSummary } from '../../shared/api';

/** The summary `neurolip import` and `neurolip demo` print, in words. */
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
