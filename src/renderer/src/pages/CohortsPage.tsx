import { Alert, Box, Button, Card, CardContent, Grid, List, ListItemButton, ListItemText, Stack, Typography } from '@mui/material';
import { useState } from 'react';
import { api } from '../api/client';
import { useApiQuery } from '../api/useApiQuery';
import { CohortDetailView } from '../components/cohort/CohortDetailView';
import { DemoCohortButton } from '../components/DemoCohortButton';
import { QueryError } from '../components/ErrorSurface';
import { ImportWizard } from '../components/import/ImportWizard';

function cohortFromHash(): number | null {
  const id = /cohort=(\d+)/.exec(window.location.hash)?.[1];
  return id ? Number(id) : null;
}

export function CohortsPage() {
  const cohorts = useApiQuery(() => api.cohorts.list.query());
  const [selected, setSelected] = useState<number | null>(cohortFromHash);
  const [importing, setImporting] = useState(false);
  const select = (id: number | null): void => {
    setSelected(id);
    window.history.replaceState(null, '', id === null ? '#/cohorts' : `#/cohorts?cohort=${id}`);
  };
  const shown = selected ?? cohorts.data?.[0]?.id ?? null;

  return (
    <>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'flex-start', mb: 2 }}>
        <Typography variant="h4" component="h1" sx={{ flexGrow: 1 }}>
          Cohorts
        </Typography>
        <Button variant="contained" onClick={() => setImporting(true)} data-testid="open-import">
          Import a cohort
        </Button>
        <DemoCohortButton
          onReady={(id) => {
            cohorts.reload();
            select(id);
          }}
        />
      </Stack>
      {importing && (
        <Card variant="outlined" sx={{ mb: 3 }}>
          <CardContent>
            <ImportWizard
              onClose={() => setImporting(false)}
              onImported={(id) => {
                cohorts.reload();
                select(id);
              }}
            />
          </CardContent>
        </Card>
      )}
      {cohorts.error && <QueryError what="the cohorts" error={cohorts.error} onRetry={cohorts.reload} />}
      {cohorts.data && cohorts.data.length === 0 && !importing && (
        <Alert severity="info">No cohorts in this project yet. Import your own data, or try the synthetic demo cohort.</Alert>
      )}
      {cohorts.data && cohorts.data.length > 0 && (
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, md: 3 }}>
            <List dense data-testid="cohort-list">
              {cohorts.data.map((cohort) => (
                <ListItemButton key={cohort.id} selected={cohort.id === shown} onClick={() => select(cohort.id)}>
                  <ListItemText primary={cohort.name} secondary={`${cohort.subjects} subjects · ${cohort.rois} ROIs`} />
                </ListItemButton>
              ))}
            </List>
          </Grid>
          <Grid size={{ xs: 12, md: 9 }}>
            <Box>
              {shown !== null && (
                <CohortDetailView
                  key={shown}
                  cohortId={shown}
                  onChanged={cohorts.reload}
                  onDeleted={() => {
                    select(null);
                    cohorts.reload();
                  }}
                />
              )}
            </Box>
          </Grid>
        </Grid>
      )}
    </>
  );
}
