import { Card, CardContent, Checkbox, FormControlLabel, Stack, Typography } from '@mui/material';
import { useState } from 'react';
import { api } from '../api/client';
import { useApiQuery } from '../api/useApiQuery';
import { QueryError } from '../components/ErrorSurface';
import { ExportComparisonButtons } from '../components/ExportComparisonButtons';
import { ExportReportButton } from '../components/ExportReportButton';

/** Every finished run with its report export (the same buttons as on the run's Results detail). */
export function ReportPage() {
  const runs = useApiQuery(() => api.runs.list.query());
  const done = [...(runs.data ?? [])].filter((run) => run.status === 'done').reverse();
  const [compared, setCompared] = useState<number[]>([]);
  const toggle = (id: number): void =>
    setCompared((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id].sort((a, b) => a - b)));
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        Report
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        A run&apos;s report is one self-contained HTML file (it opens offline: styles inline, charts as SVG) or a PDF: cohort summary and
        QC, configuration and software versions with the back end, metrics with 95 % CIs, fairness tables and figures, the attention maps on
        the standard views with the top ROIs, and a methods paragraph written from the configuration. Subject identifiers are left out
        unless you tick Include subject IDs.
      </Typography>
      {runs.error && <QueryError what="the runs" error={runs.error} onRetry={runs.reload} />}
      {runs.data && done.length === 0 && <Typography color="text.secondary">No finished runs yet.</Typography>}
      {done.length >= 2 && <ExportComparisonButtons runIds={compared} />}
      <Stack spacing={1} sx={{ mt: 1 }}>
        {done.map((run) => (
          <Card key={run.id} variant="outlined" data-testid={`report-run-${run.id}`}>
            <CardContent>
              <Typography variant="subtitle1">
                {run.id}. {run.name} ({run.variant}, {run.backend})
              </Typography>
              <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
                <ExportReportButton runId={run.id} />
                {done.length >= 2 && (
                  <FormControlLabel
                    control={<Checkbox size="small" checked={compared.includes(run.id)} onChange={() => toggle(run.id)} />}
                    label="Compare"
                    slotProps={{ typography: { variant: 'body2' } }}
                  />
                )}
              </Stack>
            </CardContent>
          </Card>
        ))}
      </Stack>
    </>
  );
}
