import { Button, Stack } from '@mui/material';
import { api } from '../api/client';
import { useJob } from '../api/useJob';
import { JobProgress } from './JobProgress';

/** Generates and imports the synthetic demo cohort (or finds it, if it is already in the project). */
export function DemoCohortButton({ onReady }: { onReady: (cohortId: number) => void }) {
  const job = useJob((status) => {
    if (status.state === 'done') onReady((status.result as { cohortId: number }).cohortId);
  });
  return (
    <Stack spacing={1} sx={{ minWidth: 280 }}>
      <Button
        variant="outlined"
        disabled={job.status?.state === 'running'}
        onClick={() => void job.start(() => api.cohorts.demo.mutate({}))}
      >
        Try the demo cohort
      </Button>
      <JobProgress job={job} what="The demo cohort" />
    </Stack>
  );
}
