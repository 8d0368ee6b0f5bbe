import { Card, CardContent, Stack, Typography } from '@mui/material';
import { useEffect, useMemo, useState } from 'react';
import type { EpochPoint } from '../../../../shared/api';
import { api } from '../../api/client';
import { useJob } from '../../api/useJob';
import { useErrorSurface } from '../ErrorSurface';
import { JobProgress } from '../JobProgress';
import { mergeEpochPoints } from './curveSeries';
import { TrainingCurves } from './TrainingCurves';

/**
 * One queued or running training run: progress with ETA, cancel, live curves; its outcome when done.
 * The curves start from the run's stored epochs, so they survive a reload of the page.
 */
export function LiveRun({ jobId, title, onFinished }: { jobId: string; title: string; onFinished: () => void }) {
  const job = useJob(onFinished);
  useEffect(() => job.follow(jobId), [jobId, job.follow]);
  const { report } = useErrorSurface();
  const runId = job.status?.runId;
  const [stored, setStored] = useState<EpochPoint[]>([]);
  useEffect(() => {
    if (runId === undefined) return;
    let current = true;
    api.runs.epochs
      .query({ runId })
      .then((epochs) => current && setStored(epochs))
      .catch((error: unknown) => current && report('Reading the run’s stored epochs', error));
    return () => {
      current = false;
    };
  }, [runId, report]);
  const points = useMemo(() => mergeEpochPoints(stored, job.points), [stored, job.points]);
  const last = job.points.at(-1);
  return (
    <Card variant="outlined" data-testid="live-run">
      <CardContent>
        <Stack direction="row" spacing={2} sx={{ alignItems: 'baseline', mb: 1 }}>
          <Typography variant="subtitle1" sx={{ flexGrow: 1 }}>
            {title}
            {runId !== undefined && ` (run ${runId})`}
          </Typography>
          {last && (
            <Typography variant="body2" color="text.secondary">
              last epoch {last.seconds.toFixed(1)} s
            </Typography>
          )}
        </Stack>
        <JobProgress job={job} what="Training" />
        {job.status?.state === 'done' && <Typography data-testid="run-finished">Finished: see Results.</Typography>}
        <TrainingCurves points={points} name={`run-${runId ?? 'live'}`} />
      </CardContent>
    </Card>
  );
}
