import { Alert, Button, Card, CardContent, CircularProgress, Grid, Stack, Typography } from '@mui/material';
import { api } from '../api/client';
import { useApiQuery } from '../api/useApiQuery';
import { DemoCohortButton } from '../components/DemoCohortButton';
import { QueryError } from '../components/ErrorSurface';
import { RunDemoButton } from '../components/demo/RunDemoButton';

export function HomePage() {
  const summary = useApiQuery(() => api.project.summary.query());
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        NeuroLIP Studio
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 3 }}>
        Align resting-state functional connectivity with phenotype tokens, then see how well diagnosis is predicted, how fair the
        predictions are across sex, age and site, and which regions each token attends to. Everything stays on this computer.
      </Typography>
      {summary.loading && <CircularProgress size={24} />}
      {summary.error && <QueryError what="the project" error={summary.error} onRetry={summary.reload} />}
      {summary.data && (
        <>
          <Typography variant="subtitle2" color="text.secondary" data-testid="project-path" gutterBottom>
            Project file: {summary.data.projectPath}
          </Typography>
          {summary.data.readOnlyCopyOf && (
            <Alert severity="warning" sx={{ mb: 2 }} data-testid="read-only-copy">
              This is a read-only copy of the damaged project {summary.data.readOnlyCopyOf}. You can look at and export what it still holds;
              nothing can be changed in it. The damaged file itself was not touched.
            </Alert>
          )}
          <Grid container spacing={2}>
            {(
              [
                ['Cohorts', summary.data.cohorts],
                ['Subjects', summary.data.subjects],
                ['Atlases', summary.data.atlases],
                ['Training runs', summary.data.runs],
              ] as const
            ).map(([label, value]) => (
              <Grid key={label} size={{ xs: 6, md: 3 }}>
                <Card variant="outlined">
                  <CardContent>
                    <Typography variant="overline">{label}</Typography>
                    <Typography variant="h4" data-testid={`count-${label.toLowerCase().replace(' ', '-')}`}>
                      {value}
                    </Typography>
                  </CardContent>
                </Card>
              </Grid>
            ))}
          </Grid>
          <Stack direction="row" spacing={2} sx={{ mt: 3, alignItems: 'flex-start' }}>
            <Button variant="contained" onClick={() => (window.location.hash = '#/cohorts')}>
              Import a cohort
            </Button>
            <DemoCohortButton onReady={(id) => (window.location.hash = `#/cohorts?cohort=${id}`)} />
            <RunDemoButton />
          </Stack>
        </>
      )}
    </>
  );
}
