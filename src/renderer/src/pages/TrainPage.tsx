import { Alert, Card, CardContent, Grid, Stack, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import type { JobStatus } from '../../../shared/api';
import { api } from '../api/client';
import { useApiQuery } from '../api/useApiQuery';
import { QueryError } from '../components/ErrorSurface';
import { LiveRun } from '../components/train/LiveRun';
import { TrainForm } from '../components/train/TrainForm';

export function TrainPage() {
  const cohorts = useApiQuery(() => api.cohorts.list.query());
  const info = useApiQuery(() => api.app.info.query());
  const running = useApiQuery(() => api.jobs.list.query());
  // Every training job this page has shown, newest queued first, so a run keeps its card (and its
  // outcome) when it ends, also when the page found it running after a reload.
  const [live, setLive] = useState<JobStatus[]>([]);
  useEffect(() => {
    const found = (running.data ?? []).filter((job) => job.kind === 'train' && job.state === 'running');
    setLive((shown) => {
      const unseen = found.filter((job) => !shown.some((s) => s.id === job.id));
      return unseen.length ? [...shown, ...unseen] : shown;
    });
  }, [running.data]);

  return (
    <>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'baseline', mb: 2 }}>
        <Typography variant="h4" component="h1" sx={{ flexGrow: 1 }}>
          Train
        </Typography>
        {info.data && (
          <Typography variant="body2" color="text.secondary" data-testid="train-backend">
            TensorFlow.js back end: {info.data.backend.name}
          </Typography>
        )}
      </Stack>
      {cohorts.error && <QueryError what="the cohorts" error={cohorts.error} onRetry={cohorts.reload} />}
      {cohorts.data?.length === 0 && <Alert severity="info">Import a cohort first (Cohorts page), or try the demo cohort from Home.</Alert>}
      <Grid container spacing={3}>
        <Grid size={{ xs: 12, lg: 5 }}>
          {cohorts.data && cohorts.data.length > 0 && (
            <Card variant="outlined">
              <CardContent>
                <TrainForm
                  cohorts={cohorts.data}
                  onQueued={(jobs) => setLive((previous) => [...jobs, ...previous.filter((p) => !jobs.some((j) => j.id === p.id))])}
                />
              </CardContent>
            </Card>
          )}
        </Grid>
        <Grid size={{ xs: 12, lg: 7 }}>
          <Stack spacing={2}>
            {live.length === 0 && (
              <Typography color="text.secondary">
                No run in progress. Runs queue up and train one at a time, each fold on its own core.
              </Typography>
            )}
            {live.map((job) => (
              <LiveRun key={job.id} jobId={job.id} title={job.title} onFinished={running.reload} />
            ))}
          </Stack>
        </Grid>
      </Grid>
    </>
  );
}
