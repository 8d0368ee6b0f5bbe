import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, TextField } from '@mui/material';
import { useEffect, useState } from 'react';

/** Asks for a new name (renaming a cohort or a run). Closed when `initial` is null. */
export function RenameDialog({
  title,
  initial,
  onCancel,
  onRename,
}: {
  title: string;
  initial: string | null;
  onCancel: () => void;
  onRename: (name: string) => void;
}) {
  const [name, setName] = useState(initial ?? '');
  useEffect(() => setName(initial ?? ''), [initial]);
  return (
    <Dialog open={initial !== null} onClose={onCancel}>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <TextField autoFocus fullWidth sx={{ mt: 1 }} label="Name" value={name} onChange={(event) => setName(event.target.value)} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button variant="contained" disabled={!name.trim()} onClick={() => onRename(name.trim())}>
          Rename
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** Asks before deleting something from the project, saying what goes with it. */
export function ConfirmDeleteDialog({
  open,
  title,
  consequence,
  onCancel,
  onDelete,
}: {
  open: boolean;
  title: string;
  consequence: string;
  onCancel: () => void;
  onDelete: () => void;
}) {
  return (
    <Dialog open={open} onClose={onCancel}>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <DialogContentText>{consequence}</DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Keep it</Button>
        <Button color="error" variant="contained" onClick={onDelete}>
          Delete
        </Button>
      </DialogActions>
    </Dialog>
  );
}
