import { PlannedPage } from './PlannedPage';

export function TrainPage() {
  return (
    <PlannedPage
      title="Train"
      intro="Set up and watch NeuroLIP training runs."
      items={[
        'Cohort, target and sensitive attributes; variants and evaluation protocol',
        'Presets and validated hyper-parameters',
        'Queued runs with live loss curves, validation AUC, ETA, back end and cancel',
      ]}
    />
  );
}

export function ResultsPage() {
  return (
    <PlannedPage
      title="Results"
      intro="Read and compare finished runs."
      items={[
        'Metrics with 95 % confidence intervals, per-fold tables, ROC curves, confusion matrices',
        'Fairness dashboard: per-group table, dDP, dEOpp, dEOdds and dAUC',
        'Side-by-side comparison of runs with paired differences',
      ]}
    />
  );
}

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
