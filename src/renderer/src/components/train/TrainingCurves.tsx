import { Grid } from '@mui/material';
import { LineChart } from '@mui/x-charts/LineChart';
import { useMemo } from 'react';
import type { EpochPoint } from '../../../../shared/api';
import { ExportableChart } from '../charts/ExportableChart';
import { curveSeries, type Series } from './curveSeries';

/** Lines without marks, except while there is one epoch (a line needs two points). */
const lines = (series: Series[], epochs: number) =>
  series.map((s) => ({ label: s.label, data: s.data, showMark: epochs === 1, connectNulls: true }));

/** Every loss term and the reversal gates (mean over folds), and validation AUC per fold, by epoch. */
export function TrainingCurves({ points, name }: { points: EpochPoint[]; name: string }) {
  const curves = useMemo(() => curveSeries(points), [points]);
  if (points.length === 0) return null;
  const xAxis = [
    {
      data: Array.from({ length: curves.epochs }, (_, i) => i + 1),
      label: 'epoch',
      scaleType: 'point' as const,
      valueFormatter: (epoch: number) => String(epoch),
    },
  ];
  return (
    <Grid container spacing={2} data-testid="training-curves">
      <Grid size={{ xs: 12, md: 6 }}>
        <ExportableChart name={`${name}-loss-terms`} title="Loss terms (mean over folds)">
          <LineChart skipAnimation height={240} xAxis={xAxis} series={lines(curves.lossTerms, curves.epochs)} />
        </ExportableChart>
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <ExportableChart name={`${name}-validation-auc`} title="Validation AUC per fold">
          <LineChart skipAnimation height={240} xAxis={xAxis} yAxis={[{ min: 0, max: 1 }]} series={lines(curves.valAuc, curves.epochs)} />
        </ExportableChart>
      </Grid>
      {curves.gates.length > 0 && (
        <Grid size={{ xs: 12, md: 6 }}>
          <ExportableChart name={`${name}-gates`} title="Reversal gate open (share of batches, mean over folds)">
            <LineChart skipAnimation height={200} xAxis={xAxis} yAxis={[{ min: 0, max: 1 }]} series={lines(curves.gates, curves.epochs)} />
          </ExportableChart>
        </Grid>
      )}
    </Grid>
  );
}
