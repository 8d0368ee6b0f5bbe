import { Card, CardContent, Stack, Typography } from '@mui/material';
import { useEffect } from 'react';
import { useJob } from '../../api/useJob';
import { JobProgress } from '../JobProgress';
import { TrainingCurves } from './TrainingCurves';

/** One queued or running training run: progress with ETA, cancel, live curves; its outcome when done. */
export function LiveRun({ jobId, title, onFinished }: { jobId: string; title: string; onFinished: () => void }) {
  const job = useJob(onFinished);
  useEffect(() => job.follow(jobId), [jobId, job.follow]);
  const last = job.points.at(-1);
  return (
    <Card variant="outlined" data-testid="live-run">
      <CardContent>
        <Stack direction="row" spacing={2} sx={{ alignItems: 'baseline', mb: 1 }}>
          <Typography variant="subtitle1" sx={{ flexGrow: 1 }}>
            {title}
          </Typography>
          {last && (
            <Typography variant="body2" color="text.secondary">
              last epoch {last.seconds.toFixed(1)} s
            </Typography>
          )}
        </Stack>
        <JobProgress job={job} what="Training" />
        {job.status?.state === 'done' && <Typography data-testid="run-finished">Finished: see Results.</Typography>}
        <TrainingCurves points={job.points} />
      </CardContent>
    </Card>
  );
}
