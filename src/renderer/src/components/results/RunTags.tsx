import { Chip, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import { api } from '../../api/client';
import { useErrorSurface } from '../ErrorSurface';

/** A run's tags: remove one with its ×, add one by typing it and pressing Enter. */
export function RunTags({ runId, tags, onChanged }: { runId: number; tags: string[]; onChanged: () => void }) {
  const [draft, setDraft] = useState('');
  const { report } = useErrorSurface();
  const add = async (): Promise<void> => {
    try {
      await api.runs.addTag.mutate({ runId, tag: draft });
      setDraft('');
      onChanged();
    } catch (error) {
      report('Tagging the run', error);
    }
  };
  const remove = async (tag: string): Promise<void> => {
    try {
      await api.runs.removeTag.mutate({ runId, tag });
      onChanged();
    } catch (error) {
      report('Removing the tag', error);
    }
  };
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', flexGrow: 1 }} data-testid="run-tags">
      {tags.map((tag) => (
        <Chip key={tag} size="small" label={tag} onDelete={() => void remove(tag)} />
      ))}
      <TextField
        size="small"
        variant="standard"
        placeholder="Add a tag"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && draft.trim() !== '') void add();
        }}
        slotProps={{ htmlInput: { 'data-testid': 'add-tag', maxLength: 40 } }}
        sx={{ width: 140 }}
      />
    </Stack>
  );
}
