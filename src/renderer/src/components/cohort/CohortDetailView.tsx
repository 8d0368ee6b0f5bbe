import { Alert, Box, Button, Chip, CircularProgress, Stack, Tab, Tabs, Typography } from '@mui/material';
import { useState } from 'react';
import { ImportSummary } from '../../../../shared/api';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/useApiQuery';
import { useErrorSurface, QueryError } from '../ErrorSurface';
import { ConfirmDeleteDialog, RenameDialog } from '../NameDialog';
import { QcSummary } from '../import/QcSummary';
import { ConnectivityHeatmap } from './ConnectivityHeatmap';
import { DemographicsCharts } from './DemographicsCharts';
import { SubjectTable } from './SubjectTable';

/** One cohort: demographics, subjects, mean connectivity, its import record; rename and delete. */
export function CohortDetailView({ cohortId, onChanged, onDeleted }: { cohortId: number; onChanged: () => void; onDeleted: () => void }) {
  const detail = useApiQuery(() => api.cohorts.detail.query({ cohortId }));
  const mean = useApiQuery(() => api.cohorts.meanConnectivity.query({ cohortId }));
  const [tab, setTab] = useState(0);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const { report } = useErrorSurface();

  if (detail.loading && !detail.data) return <CircularProgress size={24} />;
  if (detail.error) return <QueryError what="the cohort" error={detail.error} onRetry={detail.reload} />;
  const cohort = detail.data!;
  const summary = ImportSummary.safeParse(cohort.summary);

  const rename = async (name: string): Promise<void> => {
    try {
      await api.cohorts.rename.mutate({ cohortId, name });
      setRenaming(null);
      detail.reload();
      onChanged();
    } catch (error) {
      report('Renaming the cohort', error);
    }
  };
  const remove = async (): Promise<void> => {
    try {
      await api.cohorts.delete.mutate({ cohortId });
      setDeleting(false);
      onDeleted();
    } catch (error) {
      report('Deleting the cohort', error);
    }
  };

  return (
    <Box data-testid="cohort-detail">
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 1 }}>
        <Typography variant="h5" component="h2" data-testid="cohort-title">
          {cohort.name}
        </Typography>
        {cohort.synthetic && <Chip color="secondary" size="small" label="Synthetic data" />}
        <Box sx={{ flexGrow: 1 }} />
        <Button size="small" onClick={() => setRenaming(cohort.name)}>
          Rename
        </Button>
        <Button size="small" color="error" onClick={() => setDeleting(true)}>
          Delete
        </Button>
      </Stack>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        {cohort.subjects} subjects · {cohort.rois} ROIs · {cohort.atlas ?? 'no atlas'} · {cohort.layout} layout · imported{' '}
        {cohort.createdAt.slice(0, 16).replace('T', ' ')}
      </Typography>
      {cohort.synthetic && (
        <Alert severity="info" sx={{ mb: 2 }}>
          These data are synthetic: generated with planted effects, so that the model's findings can be checked against a known truth.
        </Alert>
      )}
      <Tabs value={tab} onChange={(_, next: number) => setTab(next)} sx={{ mb: 2 }}>
        <Tab label="Demographics" />
        <Tab label="Subjects" />
        <Tab label="Mean connectivity" />
        <Tab label="Import record" />
      </Tabs>
      {tab === 0 && <DemographicsCharts subjects={cohort.subjectsTable} />}
      {tab === 1 && <SubjectTable subjects={cohort.subjectsTable} />}
      {tab === 2 &&
        (mean.error ? (
          <QueryError what="the mean connectivity" error={mean.error} onRetry={mean.reload} />
        ) : mean.data ? (
          <ConnectivityHeatmap mean={mean.data} />
        ) : (
          <CircularProgress size={24} />
        ))}
      {tab === 3 && (summary.success ? <QcSummary summary={summary.data} /> : <Typography>No import record.</Typography>)}

      <RenameDialog title="Rename cohort" initial={renaming} onCancel={() => setRenaming(null)} onRename={(name) => void rename(name)} />
      <ConfirmDeleteDialog
        open={deleting}
        title={`Delete “${cohort.name}”?`}
        consequence={`This removes its ${cohort.subjects} subjects, their connectivity and time series, and every training run on it, from this project. Your source files are not touched.`}
        onCancel={() => setDeleting(false)}
        onDelete={() => void remove()}
      />
    </Box>
  );
}
