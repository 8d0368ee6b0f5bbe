import {
  Alert,
  Box,
  Button,
  CircularProgress,
  Grid,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { predictionsCsv, toCsv } from '../../../../shared/csv';
import { settingsInUse, settingText, validationAucLabel } from '../../../../shared/settingText';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/useApiQuery';
import { QueryError, useErrorSurface } from '../ErrorSurface';
import { downloadText } from '../charts/download';
import { fairnessGapRows } from './csv';
import { formatValue, METRIC_LABELS } from './format';
import { ConfoundTable } from './ConfoundTable';
import { FairnessDashboard } from './FairnessDashboard';
import { FairnessTable } from './FairnessTable';
import { RocAndConfusion } from './RocAndConfusion';
import { RunCurves } from './RunCurves';

const upperFirst = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** A finished run: pooled metrics with 95 % CIs, the per-fold table, and fairness per sensitive attribute. */
export function RunDetail({ runId }: { runId: number }) {
  const result = useApiQuery(() => api.runs.result.query({ runId }));
  const { report } = useErrorSurface();
  if (result.loading && !result.data) return <CircularProgress size={24} />;
  if (result.error) return <QueryError what="the run's results" error={result.error} onRetry={result.reload} />;
  const run = result.data!;
  return (
    <Box data-testid="run-detail">
      <Typography variant="h6" gutterBottom>
        Run {run.run}: {run.variant}, {run.protocol === 'kfold5' ? 'stratified 5-fold' : 'leave one site out'}, {run.subjects} subjects,
        back end {run.backend}
      </Typography>
      {run.config && (
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1, overflowWrap: 'anywhere' }} data-testid="run-config">
          {settingsInUse(run.config)
            .filter(([, value]) => typeof value !== 'object' || (Array.isArray(value) && value.length > 0))
            .map(([key, value]) => `${key} ${settingText(value)}`)
            .join(' · ')}
        </Typography>
      )}
      <Stack direction="row" spacing={1} sx={{ mb: 1 }}>
        <Button
          size="small"
          data-testid="export-metrics"
          onClick={() =>
            downloadText(
              `run-${run.run}-metrics.csv`,
              toCsv(
                ['metric', 'value', 'ci_low', 'ci_high', 'fold_mean', 'fold_sd'],
                Object.keys(METRIC_LABELS).map((key) => {
                  const m = run.metrics[key as keyof typeof run.metrics];
                  return [key, m.value, m.ciLow, m.ciHigh, run.foldMetrics[key]?.mean ?? null, run.foldMetrics[key]?.sd ?? null];
                }),
              ),
            )
          }
        >
          Metrics as CSV
        </Button>
        <Button
          size="small"
          data-testid="export-fairness"
          onClick={() =>
            downloadText(
              `run-${run.run}-fairness.csv`,
              toCsv(
                ['attribute', 'group', 'n', 'acc', 'auc', 'tpr', 'fpr', 'selection_rate', 'small'],
                Object.entries(run.fairness).flatMap(([attribute, report]) =>
                  report.groups.map((g) => [attribute, g.group, g.n, g.acc, g.auc, g.tpr, g.fpr, g.selectionRate, g.small ? 'yes' : 'no']),
                ),
              ),
            )
          }
        >
          Fairness as CSV
        </Button>
        <Button
          size="small"
          data-testid="export-fairness-gaps"
          onClick={() =>
            downloadText(
              `run-${run.run}-fairness-gaps.csv`,
              toCsv(['attribute', 'gap', 'value', 'ci_low', 'ci_high'], fairnessGapRows(run.fairness)),
            )
          }
        >
          Fairness gaps as CSV
        </Button>
        <Button
          size="small"
          data-testid="export-predictions"
          title="One line per subject, with the subject IDs: for your own analyses"
          onClick={() =>
            api.runs.predictionTable
              .query({ runId: run.run })
              .then((table) => downloadText(`run-${run.run}-predictions.csv`, predictionsCsv(table)))
              .catch((error: unknown) => report('Reading the run’s predictions', error))
          }
        >
          Predictions as CSV (with subject IDs)
        </Button>
      </Stack>
      <Grid container spacing={3}>
        <Grid size={{ xs: 12, md: 5 }}>
          <Typography variant="subtitle2">Pooled out-of-fold metrics</Typography>
          <Table size="small" data-testid="metrics-table">
            <TableHead>
              <TableRow>
                <TableCell>Metric</TableCell>
                <TableCell align="right">Value</TableCell>
                <TableCell align="right">95 % CI</TableCell>
                <TableCell align="right">Fold mean ± SD</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {Object.entries(METRIC_LABELS).map(([key, label]) => {
                const m = run.metrics[key as keyof typeof run.metrics];
                const f = run.foldMetrics[key];
                return (
                  <TableRow key={key}>
                    <TableCell>{label}</TableCell>
                    <TableCell align="right" data-testid={`metric-${key}`}>
                      {formatValue(m.value)}
                    </TableCell>
                    <TableCell align="right">
                      [{formatValue(m.ciLow)}, {formatValue(m.ciHigh)}]
                    </TableCell>
                    <TableCell align="right">
                      {formatValue(f?.mean)} ± {formatValue(f?.sd)}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          <Typography variant="body2" sx={{ mt: 1 }}>
            {run.leakage.sexProbeAuc.mean == null
              ? 'No leakage probes: this variant has no embedding to probe'
              : `Sex-leakage probe AUC: ${formatValue(run.leakage.sexProbeAuc.mean)} ± ${formatValue(run.leakage.sexProbeAuc.sd)}`}
            {run.leakage.siteProbeAuc?.mean != null &&
              ` · site-leakage probe AUC (one site against the rest, mean over sites): ${formatValue(run.leakage.siteProbeAuc.mean)} ± ${formatValue(run.leakage.siteProbeAuc.sd)}`}
            {run.epochSeconds !== null && ` · mean epoch ${formatValue(run.epochSeconds, 2)} s`}
          </Typography>
          {run.recovery && (
            <Alert severity="info" sx={{ mt: 1 }}>
              Synthetic cohort: precision@{run.recovery.plantedRois} of the planted diagnosis regions (chance{' '}
              {formatValue(run.recovery.chance, 2)}): patient map {formatValue(run.recovery.precisionAtK.patientMap, 2)}, control map{' '}
              {formatValue(run.recovery.precisionAtK.controlMap, 2)}, |contrast|{' '}
              {formatValue(run.recovery.precisionAtK.absoluteContrast, 2)}.
            </Alert>
          )}
        </Grid>
        <Grid size={{ xs: 12, md: 7 }}>
          <Typography variant="subtitle2">Folds</Typography>
          <Table size="small" data-testid="folds-table">
            <TableHead>
              <TableRow>
                <TableCell>Fold</TableCell>
                <TableCell align="right">Train</TableCell>
                <TableCell align="right">Test</TableCell>
                <TableCell align="right">Best epoch</TableCell>
                <TableCell align="right">{upperFirst(validationAucLabel(run.variant))}</TableCell>
                <TableCell align="right">Test AUC [95 % CI]</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {run.folds.map((fold) => (
                <TableRow key={fold.name}>
                  <TableCell>{fold.name}</TableCell>
                  <TableCell align="right">{fold.train}</TableCell>
                  <TableCell align="right">{fold.test}</TableCell>
                  <TableCell align="right">{fold.bestEpoch >= 0 ? fold.bestEpoch + 1 : '–'}</TableCell>
                  <TableCell align="right">{formatValue(fold.valAuc)}</TableCell>
                  <TableCell align="right">
                    {formatValue(fold.auc)}
                    {fold.metrics && ` [${formatValue(fold.metrics.auc.ciLow)}, ${formatValue(fold.metrics.auc.ciHigh)}]`}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Grid>
        <Grid size={12}>
          <RunCurves runId={run.run} />
        </Grid>
        <Grid size={12}>
          <RocAndConfusion runId={run.run} />
        </Grid>
        <Grid size={12}>
          <FairnessDashboard run={run} />
        </Grid>
        {Object.entries(run.fairness).map(([attribute, report]) => (
          <Grid key={attribute} size={{ xs: 12, xl: 6 }}>
            <FairnessTable attribute={attribute} report={report} />
          </Grid>
        ))}
        <Grid size={12}>
          <ConfoundTable runId={run.run} />
        </Grid>
      </Grid>
    </Box>
  );
}
