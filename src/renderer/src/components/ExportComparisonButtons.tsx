import { Button, CircularProgress, Stack, Typography } from '@mui/material';
import { useState } from 'react';
import { api } from '../api/client';
import { useErrorSurface } from './ErrorSurface';
import { saveBase64 } from './saveBase64';

/** Saves a report comparing the chosen runs (2 to 12) as HTML or PDF; comparisons hold no subject identifiers. */
export function ExportComparisonButtons({ runIds }: { runIds: number[] }) {
  const [busy, setBusy] = useState(false);
  const { report } = useErrorSurface();
  const save = async (format: 'html' | 'pdf'): Promise<void> => {
    setBusy(true);
    try {
      const file = await api.reports.compare.mutate({ runIds, format });
      saveBase64(file.fileName, file.mimeType, file.base64);
    } catch (error) {
      report(`Exporting the ${format.toUpperCase()} comparison`, error);
    } finally {
      setBusy(false);
    }
  };
  const ready = runIds.length >= 2 && runIds.length <= 12 && !busy;
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }} data-testid="export-comparison">
      <Typography variant="body2">
        {runIds.length < 2 ? 'Tick two or more runs to compare them.' : `Compare runs ${runIds.join(', ')}:`}
      </Typography>
      <Button size="small" variant="outlined" disabled={!ready} onClick={() => void save('html')} data-testid="export-comparison-html">
        Export comparison (HTML)
      </Button>
      <Button size="small" variant="outlined" disabled={!ready} onClick={() => void save('pdf')} data-testid="export-comparison-pdf">
        Export comparison (PDF)
      </Button>
      {busy && <CircularProgress size={16} />}
    </Stack>
  );
}
