import { Alert, Button, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import type { BrainSurface } from '../../../shared/api';
import { api } from '../api/client';
import { useApiQuery } from '../api/useApiQuery';
import { RunBrain } from '../components/brain/RunBrain';
import { QueryError } from '../components/ErrorSurface';
import { PathField } from '../components/PathField';

/** Which regions each phenotype token attends to, on a 3D glass brain. */
export function BrainPage() {
  const runs = useApiQuery(() => api.runs.list.query());
  const defaultSurface = useApiQuery(() => api.brain.surface.query({}));
  const [runId, setRunId] = useState<number | null>(null);
  const [surfacePath, setSurfacePath] = useState('');
  const [ownSurface, setOwnSurface] = useState<BrainSurface | null>(null);
  const [surfaceError, setSurfaceError] = useState<string | null>(null);
  const done = [...(runs.data ?? [])].filter((run) => run.status === 'done').reverse();
  const shown = runId ?? done[0]?.id ?? null;
  const loadSurface = async (): Promise<void> => {
    try {
      setOwnSurface(await api.brain.surface.query({ path: surfacePath }));
      setSurfaceError(null);
    } catch (error) {
      setSurfaceError(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        Brain
      </Typography>
      {runs.error && <QueryError what="the runs" error={runs.error} onRetry={runs.reload} />}
      {defaultSurface.error && <QueryError what="the glass brain surface" error={defaultSurface.error} onRetry={defaultSurface.reload} />}
      {runs.data && done.length === 0 && (
        <Typography color="text.secondary">
          No finished runs yet: train a NeuroLIP variant on the Train page to get attention maps.
        </Typography>
      )}
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ mb: 2, alignItems: { md: 'flex-start' } }}>
        <TextField
          select
          size="small"
          label="Run"
          value={shown ?? ''}
          onChange={(event) => setRunId(Number(event.target.value))}
          sx={{ minWidth: 320 }}
          slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'brain-run' } as object } }}
        >
          {done.map((run) => (
            <MenuItem key={run.id} value={run.id}>
              {run.id}. {run.name} ({run.variant})
            </MenuItem>
          ))}
        </TextField>
        <Stack spacing={1} sx={{ flexGrow: 1 }}>
          <PathField
            label="Surface (GIfTI .surf.gii)"
            kind="file"
            value={surfacePath}
            onChange={setSurfacePath}
            testId="surface-path"
            helperText={
              ownSurface
                ? `Showing ${ownSurface.source} (${ownSurface.vertices.length / 3} vertices)`
                : 'Empty: the cortical surface shipped with gifti-reader-js (MNI space).'
            }
          />
          {surfaceError && <Alert severity="error">{surfaceError}</Alert>}
        </Stack>
        <Button variant="outlined" disabled={!surfacePath.trim()} onClick={() => void loadSurface()} data-testid="load-surface">
          Load surface
        </Button>
        {ownSurface && (
          <Button onClick={() => setOwnSurface(null)} data-testid="default-surface">
            Default surface
          </Button>
        )}
      </Stack>
      {shown !== null && <RunBrain key={shown} runId={shown} surface={ownSurface ?? defaultSurface.data} />}
    </>
  );
}
