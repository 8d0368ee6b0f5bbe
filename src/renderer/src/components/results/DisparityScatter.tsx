import { ScatterChart } from '@mui/x-charts/ScatterChart';
import { ExportableChart } from '../charts/ExportableChart';

export interface DisparityPoint {
  id: number;
  /** The fairness gap (x). */
  gap: number;
  /** The run's pooled AUC (y). */
  auc: number;
  label: string;
}

/** Accuracy against disparity across runs: one point (and legend entry) per run. */
export function DisparityScatter({
  name,
  title,
  gapLabel,
  points,
  width,
}: {
  name: string;
  title: string;
  gapLabel: string;
  points: DisparityPoint[];
  /** Fixed width in pixels; by default the chart fills its container. */
  width?: number;
}) {
  return (
    <ExportableChart name={name} title={title}>
      <ScatterChart
        skipAnimation
        width={width}
        height={260}
        xAxis={[{ min: 0, label: gapLabel }]}
        yAxis={[{ min: 0, max: 1, label: 'AUC' }]}
        series={points.map((p) => ({ label: p.label, data: [{ id: p.id, x: p.gap, y: p.auc }] }))}
      />
    </ExportableChart>
  );
}
