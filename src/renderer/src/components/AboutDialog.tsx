import {
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Button,
  Table,
  TableBody,
  TableCell,
  TableRow,
  CircularProgress,
} from '@mui/material';
import type { AppInfo } from '../../../shared/api';
import { api, transportName } from '../api/client';
import { useApiQuery } from '../api/useApiQuery';
import { QueryError } from './ErrorSurface';

function rows(info: AppInfo): [string, string][] {
  return [
    ['NeuroLIP Studio', info.appVersion],
    ['TensorFlow.js back end', `${info.backend.name}: ${info.backend.label}`],
    ...info.backend.attempts.filter((a) => !a.ok).map((a): [string, string] => [`Not used: ${a.name}`, a.reason]),
    ['Project', info.projectPath],
    ['Project schema', `${info.projectSchemaVersion} (this app: ${info.schemaVersion})`],
    ['Shell', `${info.shell}, over ${transportName}`],
    ['Node.js', info.versions.node],
    ['Electron', info.versions.electron ?? 'not running in Electron'],
    ['SQLite', info.versions.sqlite],
    ['TensorFlow.js', info.versions.tfjs],
    ['Platform', info.platform],
  ];
}

export function AboutDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const info = useApiQuery(() => api.app.info.query());
  return (
    <Dialog open={open} onClose={onClose} maxWidth="md" fullWidth aria-labelledby="about-title">
      <DialogTitle id="about-title">About NeuroLIP Studio</DialogTitle>
      <DialogContent>
        {info.loading && <CircularProgress size={24} />}
        {info.error && <QueryError what="the app's details" error={info.error} onRetry={info.reload} />}
        {info.data && (
          <Table size="small">
            <TableBody>
              {rows(info.data).map(([name, value]) => (
                <TableRow key={name}>
                  <TableCell component="th" scope="row" sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}>
                    {name}
                  </TableCell>
                  <TableCell data-testid={`about-${name.toLowerCase().replace(/[^a-z]+/g, '-')}`}>{value}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
