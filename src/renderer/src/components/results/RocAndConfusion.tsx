import { Grid, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { LineChart } from '@mui/x-charts/LineChart';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/useApiQuery';
import { ExportableChart } from '../charts/ExportableChart';
import { QueryError } from '../ErrorSurface';
import { confusion, rocPoints } from './roc';

/** The pooled out-of-fold ROC curve and the confusion matrix at p > 0.5. */
export function RocAndConfusion({ runId }: { runId: number }) {
  const predictions = useApiQuery(() => api.runs.predictions.query({ runId }));
  if (predictions.error) return <QueryError what="the predictions" error={predictions.error} onRetry={predictions.reload} />;
  if (!predictions.data) return null;
  const labels = predictions.data.map((p) => p.label);
  const scores = predictions.data.map((p) => p.score);
  const points = rocPoints(labels, scores);
  const counts = confusion(labels, scores);
  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 12, md: 7 }}>
        <ExportableChart name={`run-${runId}-roc`} title="ROC curve (pooled out-of-fold predictions)">
          <LineChart
            skipAnimation
            height={300}
            data-testid="roc-chart"
            xAxis={[{ data: points.map((p) => p.fpr), min: 0, max: 1, label: 'false-positive rate' }]}
            yAxis={[{ min: 0, max: 1, label: 'true-positive rate' }]}
            series={[{ data: points.map((p) => p.tpr), label: 'ROC', showMark: false, curve: 'linear' }]}
          />
        </ExportableChart>
      </Grid>
      <Grid size={{ xs: 12, md: 5 }}>
        <Typography variant="subtitle2">Confusion matrix (p &gt; 0.5, pooled)</Typography>
        <Table size="small" data-testid="confusion-matrix">
          <TableHead>
            <TableRow>
              <TableCell />
              <TableCell align="right">Predicted control</TableCell>
              <TableCell align="right">Predicted patient</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            <TableRow>
              <TableCell>True control</TableCell>
              <TableCell align="right">{counts.tn}</TableCell>
              <TableCell align="right">{counts.fp}</TableCell>
            </TableRow>
            <TableRow>
              <TableCell>True patient</TableCell>
              <TableCell align="right">{counts.fn}</TableCell>
              <TableCell align="right">{counts.tp}</TableCell>
            </TableRow>
          </TableBody>
        </Table>
      </Grid>
    </Grid>
  );
}
