import { Alert, Button, Stack, Typography } from '@mui/material';
import { useMemo, useState } from 'react';
import type { ReferenceMap } from '../../../../shared/api';
import { api } from '../../api/client';
import { PathField } from '../PathField';
import { spearmanPermutationTest } from '../../../../shared/stats/spearman';

const PERMUTATIONS = 5000;
const SEED = 0;

/**
 * Loads a reference map (CSV of one value per ROI, or a NIfTI volume parcellated on the run's atlas)
 * and shows its Spearman correlation with the shown map, with a seeded permutation p-value.
 */
export function ReferenceMapPanel({ runId, values, mapName }: { runId: number; values: ArrayLike<number>; mapName: string }) {
  const [path, setPath] = useState('');
  const [labelImage, setLabelImage] = useState('');
  const [reference, setReference] = useState<ReferenceMap | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const load = async (): Promise<void> => {
    setLoading(true);
    try {
      setReference(await api.brain.referenceMap.query({ runId, path, ...(labelImage.trim() ? { labelImage } : {}) }));
      setError(null);
    } catch (cause) {
      setReference(null);
      setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setLoading(false);
    }
  };
  const test = useMemo(
    () =>
      reference && reference.values.length === values.length ? spearmanPermutationTest(values, reference.values, PERMUTATIONS, SEED) : null,
    [reference, values],
  );
  return (
    <Stack spacing={1.5}>
      <PathField
        label="Reference map (CSV or NIfTI)"
        kind="file"
        value={path}
        onChange={setPath}
        testId="reference-path"
        helperText="CSV: one value per ROI in the atlas's order, or label and value columns. NIfTI: a volume in MNI space."
      />
      {/\.nii(\.gz)?$/i.test(path) && (
        <PathField
          label="Atlas label image (optional)"
          kind="file"
          value={labelImage}
          onChange={setLabelImage}
          helperText="Leave empty to use the image the atlas was derived from, if it is on this machine."
        />
      )}
      <Button variant="outlined" disabled={!path.trim() || loading} onClick={() => void load()} data-testid="load-reference">
        Load reference map
      </Button>
      {error && (
        <Alert severity="error" data-testid="reference-error">
          {error}
        </Alert>
      )}
      {reference && test && (
        <Typography data-testid="reference-correlation">
          Spearman ρ between {mapName} and {reference.file}: {test.rho.toFixed(3)}, permutation p = {test.p.toPrecision(2)} (
          {test.permutations} permutations, seed {SEED})
        </Typography>
      )}
    </Stack>
  );
}
