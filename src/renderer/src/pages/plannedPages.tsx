import { PlannedPage } from './PlannedPage';

export function BrainPage() {
  return (
    <PlannedPage
      title="Brain"
      intro="See which regions each phenotype token attends to, on a 3D glass brain."
      items={[
        'Attention maps per token and group, and the patient-minus-control contrast',
        'Top-region table linked to the view',
        'PNG and BrainNet Viewer exports',
      ]}
    />
  );
}

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
