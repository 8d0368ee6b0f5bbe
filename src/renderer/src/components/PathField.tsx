import FolderOpenIcon from '@mui/icons-material/FolderOpen';
import InsertDriveFileOutlinedIcon from '@mui/icons-material/InsertDriveFileOutlined';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  List,
  ListItemButton,
  ListItemIcon,
  ListItemText,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import { api } from '../api/client';
import { useApiQuery } from '../api/useApiQuery';
import { QueryError } from './ErrorSurface';

interface PathFieldProps {
  label: string;
  value: string;
  onChange: (path: string) => void;
  /** Choose a folder, or a file. */
  kind: 'folder' | 'file';
  helperText?: string;
  testId?: string;
}

function FolderBrowser({
  start,
  kind,
  onChoose,
  onClose,
}: {
  start: string | undefined;
  kind: 'folder' | 'file';
  onChoose: (path: string) => void;
  onClose: () => void;
}) {
  const [path, setPath] = useState(start);
  const listing = useApiQuery(() => api.cohorts.browse.query(path ? { path } : {}));
  const open = (next: string): void => {
    setPath(next);
    listing.reload();
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>Choose a {kind}</DialogTitle>
      <DialogContent dividers sx={{ minHeight: 360 }}>
        <Typography variant="body2" sx={{ mb: 1, wordBreak: 'break-all' }} data-testid="browser-path">
          {listing.data?.path ?? path ?? ''}
        </Typography>
        {listing.error && <QueryError what="this folder" error={listing.error} onRetry={listing.reload} />}
        <List dense>
          {listing.data?.parent && (
            <ListItemButton onClick={() => open(listing.data!.parent!)}>
              <ListItemIcon>
                <FolderOpenIcon />
              </ListItemIcon>
              <ListItemText primary=".." />
            </ListItemButton>
          )}
          {listing.data?.entries.map((entry) => (
            <ListItemButton
              key={entry.path}
              disabled={kind === 'folder' && entry.kind === 'file'}
              onClick={() => (entry.kind === 'folder' ? open(entry.path) : onChoose(entry.path))}
            >
              <ListItemIcon>{entry.kind === 'folder' ? <FolderOpenIcon /> : <InsertDriveFileOutlinedIcon />}</ListItemIcon>
              <ListItemText
                primary={entry.name}
                secondary={entry.sizeBytes !== null ? `${(entry.sizeBytes / 1024).toFixed(1)} KB` : null}
              />
            </ListItemButton>
          ))}
        </List>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        {kind === 'folder' && (
          <Button variant="contained" disabled={!listing.data} onClick={() => onChoose(listing.data!.path)}>
            Use this folder
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}

/** A path on the machine that runs the app: typed, or chosen with a browser of that machine's folders. */
export function PathField({ label, value, onChange, kind, helperText, testId }: PathFieldProps) {
  const [browsing, setBrowsing] = useState(false);
  const start = value ? (kind === 'file' ? value.replace(/[/\\][^/\\]*$/, '') || undefined : value) : undefined;
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
      <TextField
        label={label}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        fullWidth
        size="small"
        helperText={helperText}
        slotProps={{ htmlInput: { 'data-testid': testId } }}
      />
      <Button variant="outlined" onClick={() => setBrowsing(true)} sx={{ whiteSpace: 'nowrap' }}>
        Browse…
      </Button>
      {browsing && (
        <FolderBrowser
          start={start}
          kind={kind}
          onClose={() => setBrowsing(false)}
          onChoose={(path) => {
            onChange(path);
            setBrowsing(false);
          }}
        />
      )}
    </Stack>
  );
}
