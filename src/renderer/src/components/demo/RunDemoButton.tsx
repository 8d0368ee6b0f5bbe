import { Button, Stack, Typography } from '@mui/material';
import { useEffect } from 'react';
import { DEMO_JOB_TITLE } from '../../../../shared/api';
import { api } from '../../api/client';
import { useJob } from '../../api/useJob';
import { JobProgress } from '../JobProgress';

/**
 * "Run the demo": one server-side job (demo.run) that imports the synthetic cohort and trains NeuroLIP
 * with and without its fairness terms; then the Results page opens with the demo banner. A demo
 * already running (e.g. before a reload) is followed again.
 */
export function RunDemoButton() {
  const job = useJob((status) => {
    if (status.state === 'done') window.location.hash = '#/results?demo=1';
  });
  const { follow } = job;
  useEffect(() => {
    void api.jobs.list.query().then((jobs) => {
      const running = jobs.find((j) => j.title === DEMO_JOB_TITLE && j.state === 'running');
      if (running) follow(running.id);
    });
  }, [follow]);
  return (
    <Stack spacing={1} sx={{ minWidth: 320, maxWidth: 520 }} data-testid="run-demo">
      <Button
        variant="contained"
        color="secondary"
        disabled={job.status?.state === 'running'}
        onClick={() => void job.start(() => api.demo.run.mutate({}))}
      >
        Run the demo
      </Button>
      <Typography variant="caption" color="text.secondary">
        Synthetic data only: 300 simulated subjects with planted diagnosis regions; trains NeuroLIP with and without fairness terms (quick
        preset), then shows the results and the brain view.
      </Typography>
      <JobProgress job={job} what="The demo" />
    </Stack>
  );
}
