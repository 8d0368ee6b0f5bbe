import { PlannedPage } from './PlannedPage';

export function ReportPage() {
  return (
    <PlannedPage
      title="Report"
      intro="Export a self-contained report of a run or a comparison."
      items={[
        'Cohort summary and QC, configuration and versions',
        'Metrics, fairness figures and brain figures',
        'HTML that opens offline, and PDF',
      ]}
    />
  );
}
