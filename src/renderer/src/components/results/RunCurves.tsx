import { api } from '../../api/client';
import { useApiQuery } from '../../api/useApiQuery';
import { QueryError } from '../ErrorSurface';
import { TrainingCurves } from '../train/TrainingCurves';

/** A finished run's training curves, from its stored epochs (nothing for logreg-fc, which has no epochs). */
export function RunCurves({ runId }: { runId: number }) {
  const epochs = useApiQuery(() => api.runs.epochs.query({ runId }));
  if (epochs.error) return <QueryError what="the run's epochs" error={epochs.error} onRetry={epochs.reload} />;
  return <TrainingCurves points={epochs.data ?? []} name={`run-${runId}`} />;
}
