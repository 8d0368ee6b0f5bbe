import { Grid, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import { ChartsReferenceLine } from '@mui/x-charts/ChartsReferenceLine';
import { ScatterChart } from '@mui/x-charts/ScatterChart';
import { useState } from 'react';
import type { RunSummary } from '../../../../shared/api';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/useApiQuery';
import { formatValue } from './format';

const PERFORMANCE = {
  acc: 'Accuracy',
  auc: 'AUC',
  tpr: 'True-positive rate',
  fpr: 'False-positive rate',
  selectionRate: 'Selection rate',
} as const;
type Performance = keyof typeof PERFORMANCE;
const GAPS = {
  dEOdds: 'Equalized odds difference',
  dEOpp: 'Equal opportunity difference',
  dDP: 'Demographic parity difference',
  dAUC: 'AUC difference',
} as const;
type Gap = keyof typeof GAPS;

function overall(run: Pick<RunSummary, 'metrics' | 'fairness'>, attribute: string, metric: Performance): number | null {
  const m = run.metrics;
  if (metric === 'acc') return m.acc.value;
  if (metric === 'auc') return m.auc.value;
  if (metric === 'tpr') return m.sensitivity.value;
  if (metric === 'fpr') return m.specificity.value === null ? null : 1 - m.specificity.value;
  const groups = run.fairness[attribute]?.groups ?? [];
  const n = groups.reduce((sum, g) => sum + g.n, 0);
  return n ? groups.reduce((sum, g) => sum + g.n * (g.selectionRate ?? 0), 0) / n : null;
}

/**
 * The fairness dashboard: pick a sensitive attribute, a performance metric and a fairness metric;
 * see the metric per group against the overall value, the gap with its 95 % interval, and where
 * this run sits among the cohort's other runs (accuracy against disparity).
 */
export function FairnessDashboard({ run }: { run: Pick<RunSummary, 'metrics' | 'fairness'> }) {
  const attributes = Object.keys(run.fairness);
  const [attribute, setAttribute] = useState(attributes[0] ?? '');
  const [metric, setMetric] = useState<Performance>('tpr');
  const [gap, setGap] = useState<Gap>('dEOdds');
  const others = useApiQuery(async () => {
    const runs = (await api.runs.list.query()).filter((r) => r.status === 'done');
    return Promise.all(runs.map(async (r) => ({ id: r.id, name: r.name, result: await api.runs.result.query({ runId: r.id }) })));
  });
  const report = run.fairness[attribute];
  if (!report) return null;
  const reference = overall(run, attribute, metric);
  const interval = report.ci?.[gap];
  const points = (others.data ?? [])
    .filter(
      (o) =>
        o.result.fairness[attribute]?.[gap] !== null && o.result.fairness[attribute] !== undefined && o.result.metrics.auc.value !== null,
    )
    .map((o) => ({
      id: o.id,
      x: o.result.fairness[attribute]![gap]!,
      y: o.result.metrics.auc.value!,
      label: `${o.id}. ${o.result.variant}`,
    }));
  return (
    <Stack spacing={2} data-testid="fairness-dashboard">
      <Typography variant="subtitle1">Fairness dashboard</Typography>
      <Stack direction="row" spacing={2}>
        <TextField
          select
          size="small"
          label="Sensitive attribute"
          value={attribute}
          onChange={(event) => setAttribute(event.target.value)}
          sx={{ minWidth: 180 }}
          slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'dashboard-attribute' } as object } }}
        >
          {attributes.map((a) => (
            <MenuItem key={a} value={a}>
              {a}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          size="small"
          label="Performance metric"
          value={metric}
          onChange={(event) => setMetric(event.target.value as Performance)}
          sx={{ minWidth: 200 }}
        >
          {Object.entries(PERFORMANCE).map(([id, label]) => (
            <MenuItem key={id} value={id}>
              {label}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          size="small"
          label="Fairness metric"
          value={gap}
          onChange={(event) => setGap(event.target.value as Gap)}
          sx={{ minWidth: 240 }}
        >
          {Object.entries(GAPS).map(([id, label]) => (
            <MenuItem key={id} value={id}>
              {label}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      <Typography data-testid="dashboard-gap">
        {GAPS[gap]} by {attribute}: {formatValue(report[gap])}
        {interval ? ` (95 % CI ${formatValue(interval[0])} to ${formatValue(interval[1])})` : ''}, over the groups with at least 10 test
        subjects.
      </Typography>
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 6 }}>
          <Typography variant="subtitle2">
            {PERFORMANCE[metric]} per group (line: all subjects, {formatValue(reference)})
          </Typography>
          <BarChart
            height={260}
            xAxis={[{ scaleType: 'band', data: report.groups.map((g) => `${g.group}${g.small ? ' *' : ''}`) }]}
            yAxis={[{ min: 0, max: 1 }]}
            series={[{ data: report.groups.map((g) => g[metric]), label: PERFORMANCE[metric] }]}
          >
            {reference !== null && <ChartsReferenceLine y={reference} label="overall" lineStyle={{ strokeDasharray: '4 4' }} />}
          </BarChart>
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <Typography variant="subtitle2">
            AUC against {gap} ({attribute}) across this project's finished runs
          </Typography>
          <ScatterChart
            height={260}
            xAxis={[{ min: 0, label: gap }]}
            yAxis={[{ min: 0, max: 1, label: 'AUC' }]}
            series={points.map((p) => ({ label: p.label, data: [{ id: p.id, x: p.x, y: p.y }] }))}
          />
        </Grid>
      </Grid>
    </Stack>
  );
}
