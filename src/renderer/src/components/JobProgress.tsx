import { Alert, AlertTitle, Box, Button, LinearProgress, Stack, Typography } from '@mui/material';
import { timeLeftText } from '../../../shared/timeLeft';
import type { JobHandle } from '../api/useJob';

/** A long job's progress bar, message, ETA and cancel button; its error when it fails. */
export function JobProgress({ job, what }: { job: JobHandle; what: string }) {
  const { status, startError } = job;
  if (startError) {
    return (
      <Alert severity="error" data-testid="job-error">
        <AlertTitle>{what} could not start</AlertTitle>
        {startError.message}
      </Alert>
    );
  }
  if (!status) return null;
  if (status.state === 'failed') {
    return (
      <Alert severity="error" data-testid="job-error">
        <AlertTitle>{what} failed</AlertTitle>
        {status.error}
      </Alert>
    );
  }
  if (status.state === 'cancelled') return <Alert severity="info">{what} was cancelled; nothing was kept.</Alert>;
  if (status.state === 'done') return null;
  return (
    <Box data-testid="job-progress">
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <Box sx={{ flexGrow: 1 }}>
          <LinearProgress variant={status.fraction === null ? 'indeterminate' : 'determinate'} value={(status.fraction ?? 0) * 100} />
        </Box>
        {status.state === 'running' && (
          <Button size="small" color="inherit" onClick={job.cancel}>
            Cancel
          </Button>
        )}
      </Stack>
      <Typography variant="body2" color="text.secondary" data-testid="job-message">
        {status.message} {status.state === 'running' ? timeLeftText(status.etaSeconds) : ''}
      </Typography>
    </Box>
  );
}
