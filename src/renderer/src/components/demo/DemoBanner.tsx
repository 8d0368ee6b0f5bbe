import { Alert, AlertTitle, Button, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useState } from 'react';
import { DEMO_JOB_TITLE, DemoRunResult } from '../../../../shared/api';
import { api } from '../../api/client';
import { verdict } from './demoVerdict';
import { useApiQuery } from '../../api/useApiQuery';

const MAPS: [key: string, label: string][] = [
  ['absoluteContrast', '|patient − control|'],
  ['patientMap', 'patient token'],
  ['controlMap', 'control token'],
];

/** The latest finished demo's result, from the job list (null when this server has none). */
async function latestDemo(): Promise<DemoRunResult | null> {
  const jobs = await api.jobs.list.query();
  const last = jobs.filter((job) => job.title === DEMO_JOB_TITLE && job.state === 'done').pop();
  return last ? DemoRunResult.parse(last.result) : null;
}

/**
 * Shown above the Results and Brain pages during the demo: says the data are synthetic, how well
 * each run's attention found the planted regions, and leads on to the brain view.
 */
export function DemoBanner({ page }: { page: string }) {
  const demo = useApiQuery(latestDemo);
  const result = demo.data;
  const [closed, setClosed] = useState(false);
  if (closed) return null;
  return (
    <Alert severity="info" sx={{ mb: 2 }} data-testid="demo-banner" onClose={() => setClosed(true)}>
      <AlertTitle>Demo: these data are synthetic</AlertTitle>
      The demo cohort is 300 simulated subjects generated on this computer, with diagnosis-related regions planted on purpose; no real
      person's data are involved. Precision@k is the share of the k planted regions among the k regions each attention map ranks highest.
      {result && (
        <Table size="small" sx={{ mt: 1, maxWidth: 760 }} data-testid="demo-recovery">
          <TableHead>
            <TableRow>
              <TableCell>Run</TableCell>
              <TableCell>AUC</TableCell>
              {MAPS.map(([key, label]) => (
                <TableCell key={key}>
                  precision@{result.runs[0]?.plantedRois} ({label})
                </TableCell>
              ))}
              <TableCell>chance</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {result.runs.map((run) => (
              <TableRow key={run.runId}>
                <TableCell>
                  {run.runId}. {run.variant}
                </TableCell>
                <TableCell>{run.auc === null ? '–' : run.auc.toFixed(3)}</TableCell>
                {MAPS.map(([key]) => (
                  <TableCell key={key}>{run.precisionAtK[key]?.toFixed(2) ?? '–'}</TableCell>
                ))}
                <TableCell>{run.chance.toFixed(2)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {result && (
        <Typography variant="body2" sx={{ mt: 1 }} data-testid="demo-verdict">
          {verdict(result)}
        </Typography>
      )}
      <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
        {page === 'results' && (
          <Button variant="contained" size="small" onClick={() => (window.location.hash = '#/brain?demo=1')}>
            Next: the brain view
          </Button>
        )}
        {page === 'brain' && (
          <Button size="small" onClick={() => (window.location.hash = '#/results?demo=1')}>
            Back to the results
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
