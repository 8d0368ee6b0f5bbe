import { Grid, Typography } from '@mui/material';
import { LineChart } from '@mui/x-charts/LineChart';
import type { EpochPoint } from '../../../../shared/api';

/** Loss and validation AUC per epoch, one line per fold. */
export function TrainingCurves({ points }: { points: EpochPoint[] }) {
  const folds = [...new Set(points.map((p) => p.fold))].sort((a, b) => a - b);
  const epochs = Math.max(0, ...points.map((p) => p.epoch + 1));
  const xAxis = [{ data: Array.from({ length: epochs }, (_, i) => i + 1), label: 'epoch' }];
  const series = (value: (p: EpochPoint) => number | null) =>
    folds.map((fold) => ({
      label: `fold ${fold + 1}`,
      showMark: false,
      data: Array.from({ length: epochs }, (_, e) => {
        const point = points.find((p) => p.fold === fold && p.epoch === e);
        return point ? value(point) : null;
      }),
    }));
  if (points.length === 0) return null;
  return (
    <Grid container spacing={2} data-testid="training-curves">
      <Grid size={{ xs: 12, md: 6 }}>
        <Typography variant="subtitle2">Training loss</Typography>
        <LineChart height={220} xAxis={xAxis} series={series((p) => p.terms.loss ?? null)} />
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <Typography variant="subtitle2">Validation AUC</Typography>
        <LineChart height={220} xAxis={xAxis} yAxis={[{ min: 0, max: 1 }]} series={series((p) => p.valAuc)} />
      </Grid>
    </Grid>
  );
}
