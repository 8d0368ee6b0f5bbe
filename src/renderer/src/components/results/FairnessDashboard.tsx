import { Grid, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import type { RunSummary } from '../../../../shared/api';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/useApiQuery';
import { DisparityScatter } from './DisparityScatter';
import { formatValue } from './format';
import { GroupBars } from './GroupBars';

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
export function FairnessDashboard({ run }: { run: Pick<RunSummary, 'run' | 'metrics' | 'fairness'> }) {
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
      gap: o.result.fairness[attribute]![gap]!,
      auc: o.result.metrics.auc.value!,
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
          <GroupBars
            name={`run-${run.run}-${attribute}-${metric}`}
            title={`${PERFORMANCE[metric]} per group (line: all subjects, ${formatValue(reference)})`}
            label={PERFORMANCE[metric]}
            groups={report.groups.map((g) => ({ group: g.group, value: g[metric], small: g.small }))}
            overall={reference}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <DisparityScatter
            name={`runs-auc-${gap}-${attribute}`}
            title={`AUC against ${gap} (${attribute}) across this project's finished runs`}
            gapLabel={gap}
            points={points}
          />
        </Grid>
      </Grid>
    </Stack>
  );
}
