import { Button, Checkbox, CircularProgress, FormControlLabel, Stack } from '@mui/material';
import { useState } from 'react';
import { api } from '../api/client';
import { renderBrainFigures } from './brainFigures';
import { saveBase64 } from './saveBase64';
import { useErrorSurface } from './ErrorSurface';

/** Saves a run's report (with the 3D brain figures drawn here) as a self-contained HTML file or a PDF; subject identifiers only when ticked. */
export function ExportReportButton({ runId }: { runId: number }) {
  const [includeSubjectIds, setIncludeSubjectIds] = useState(false);
  const [busy, setBusy] = useState<'html' | 'pdf' | null>(null);
  const { report } = useErrorSurface();
  const save = async (format: 'html' | 'pdf'): Promise<void> => {
    setBusy(format);
    try {
      const figures = await renderBrainFigures(runId);
      const file = await api.reports.run.mutate({ runId, format, includeSubjectIds, figures });
      saveBase64(file.fileName, file.mimeType, file.base64);
    } catch (error) {
      report(`Exporting the ${format.toUpperCase()} report`, error);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }} data-testid="export-report">
      <Button size="small" disabled={busy !== null} onClick={() => void save('html')} data-testid="export-report-html">
        Export report (HTML)
      </Button>
      <Button size="small" disabled={busy !== null} onClick={() => void save('pdf')} data-testid="export-report-pdf">
        Export report (PDF)
      </Button>
      {busy && <CircularProgress size={16} />}
      <FormControlLabel
        control={<Checkbox size="small" checked={includeSubjectIds} onChange={(event) => setIncludeSubjectIds(event.target.checked)} />}
        label="Include subject IDs"
        slotProps={{ typography: { variant: 'body2' } }}
      />
    </Stack>
  );
}
