import { Button, Card, CardContent, Chip, Grid, List, ListItemButton, ListItemText, Stack, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { api } from '../api/client';
import { useApiQuery } from '../api/useApiQuery';
import { useErrorSurface, QueryError } from '../components/ErrorSurface';
import { CompareRuns } from '../components/results/CompareRuns';
import { RunDetail } from '../components/results/RunDetail';
import { RunTags } from '../components/results/RunTags';
import { ExportReportButton } from '../components/ExportReportButton';
import { ConfirmDeleteDialog, RenameDialog } from '../components/NameDialog';

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
  const [filter, setFilter] = useState('');
  const [tagFilter, setTagFilter] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const { report } = useErrorSurface();
  const rename = async (runId: number, name: string): Promise<void> => {
    try {
      await api.runs.rename.mutate({ runId, name });
      setRenaming(null);
      runs.reload();
    } catch (error) {
      report('Renaming the run', error);
    }
  };
  const remove = async (runId: number): Promise<void> => {
    try {
      await api.runs.delete.mutate({ runId });
      setDeleting(false);
      setSelected(null);
      runs.reload();
    } catch (error) {
      report('Deleting the run', error);
    }
  };
  const allTags = [...new Set((runs.data ?? []).flatMap((run) => run.tags))].sort();
  const shown = selected ?? [...(runs.data ?? [])].reverse().find((r) => r.status === 'done')?.id ?? null;
  const shownRun = runs.data?.find((r) => r.id === shown);
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
          <TextField size="small" label="Filter runs" value={filter} onChange={(event) => setFilter(event.target.value)} fullWidth />
          {allTags.length > 0 && (
            <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap', mt: 1 }} data-testid="tag-filter">
              {allTags.map((tag) => (
                <Chip
                  key={tag}
                  size="small"
                  label={tag}
                  color={tag === tagFilter ? 'primary' : 'default'}
                  variant={tag === tagFilter ? 'filled' : 'outlined'}
                  onClick={() => setTagFilter(tag === tagFilter ? null : tag)}
                />
              ))}
            </Stack>
          )}
          <List dense data-testid="runs-list">
            {[...(runs.data ?? [])]
              .reverse()
              .filter((run) => tagFilter === null || run.tags.includes(tagFilter))
              .filter((run) =>
                `${run.id} ${run.name} ${run.variant} ${run.status} ${run.tags.join(' ')}`
                  .toLowerCase()
                  .includes(filter.trim().toLowerCase()),
              )
              .map((run) => (
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
                        {run.tags.map((tag) => (
                          <Chip key={tag} component="span" size="small" variant="outlined" label={tag} />
                        ))}
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
              {shown !== null && (
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                  <RunTags runId={shown} tags={shownRun?.tags ?? []} onChanged={runs.reload} />
                  <Button size="small" onClick={() => setRenaming(shownRun?.name ?? '')}>
                    Rename
                  </Button>
                  <Button size="small" color="error" onClick={() => setDeleting(true)}>
                    Delete
                  </Button>
                  {shownRun?.status === 'done' && <ExportReportButton runId={shown} />}
                </Stack>
              )}
              {shown !== null && shownRun?.status === 'done' && <RunDetail key={shown} runId={shown} />}
              {shown !== null && ['interrupted', 'cancelled'].includes(shownRun?.status ?? '') && (
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
      {(runs.data ?? []).filter((r) => r.status === 'done').length >= 2 && (
        <Card variant="outlined" sx={{ mt: 2 }}>
          <CardContent>
            <CompareRuns runs={(runs.data ?? []).filter((r) => r.status === 'done')} />
          </CardContent>
        </Card>
      )}
      <RenameDialog
        title={`Rename run ${shown}`}
        initial={renaming}
        onCancel={() => setRenaming(null)}
        onRename={(name) => shown !== null && void rename(shown, name)}
      />
      <ConfirmDeleteDialog
        open={deleting}
        title={`Delete run ${shown}?`}
        consequence="This removes its folds, predictions, attention maps, metrics and checkpoints from the project."
        onCancel={() => setDeleting(false)}
        onDelete={() => shown !== null && void remove(shown)}
      />
    </>
  );
}
