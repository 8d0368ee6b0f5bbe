import { Button, Card, CardContent, Chip, Grid, List, ListItemButton, ListItemText, Stack, Typography } from '@mui/material';
import { useState } from 'react';
import { api } from '../api/client';
import { useApiQuery } from '../api/useApiQuery';
import { useErrorSurface, QueryError } from '../components/ErrorSurface';
import { RunDetail } from '../components/results/RunDetail';

const STATUS_COLOURS: Record<string, 'default' | 'success' | 'error' | 'warning' | 'info'> = {
  done: 'success',
  failed: 'error',
  interrupted: 'warning',
  cancelled: 'default',
  running: 'info',
};

export function ResultsPage() {
  const runs = useApiQuery(() => api.runs.list.query());
  const [selected, setSelected] = useState<number | null>(null);
  const { report } = useErrorSurface();
  const shown = selected ?? [...(runs.data ?? [])].reverse().find((r) => r.status === 'done')?.id ?? null;
  const resume = async (runId: number): Promise<void> => {
    try {
      await api.runs.resume.mutate({ runId });
      window.location.hash = '#/train';
    } catch (error) {
      report('Resuming the run', error);
    }
  };
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        Results
      </Typography>
      {runs.error && <QueryError what="the runs" error={runs.error} onRetry={runs.reload} />}
      {runs.data?.length === 0 && <Typography color="text.secondary">No runs yet: start one on the Train page.</Typography>}
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 3 }}>
          <List dense data-testid="runs-list">
            {[...(runs.data ?? [])].reverse().map((run) => (
              <ListItemButton
                key={run.id}
                selected={run.id === shown}
                disabled={run.status !== 'done' && run.status !== 'interrupted' && run.status !== 'cancelled'}
                onClick={() => setSelected(run.id)}
              >
                <ListItemText
                  primary={`${run.id}. ${run.name}`}
                  secondary={
                    <Stack direction="row" spacing={1} component="span" sx={{ alignItems: 'center' }}>
                      <Chip component="span" size="small" label={run.status} color={STATUS_COLOURS[run.status] ?? 'default'} />
                      <span>{run.backend}</span>
                    </Stack>
                  }
                />
              </ListItemButton>
            ))}
          </List>
        </Grid>
        <Grid size={{ xs: 12, md: 9 }}>
          <Card variant="outlined">
            <CardContent>
              {shown !== null && runs.data?.find((r) => r.id === shown)?.status === 'done' && <RunDetail key={shown} runId={shown} />}
              {shown !== null && ['interrupted', 'cancelled'].includes(runs.data?.find((r) => r.id === shown)?.status ?? '') && (
                <Stack spacing={1}>
                  <Typography>This run stopped before it finished. Its finished folds and last checkpoints are kept.</Typography>
                  <Button variant="contained" onClick={() => void resume(shown)}>
                    Resume run {shown}
                  </Button>
                </Stack>
              )}
              {shown === null && <Typography color="text.secondary">Choose a finished run.</Typography>}
            </CardContent>
          </Card>
        </Grid>
      </Grid>
    </>
  );
}
