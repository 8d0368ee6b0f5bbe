import {
  Alert,
  Checkbox,
  FormControlLabel,
  FormGroup,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useEffect, useState } from 'react';
import type { RunComparison } from '../../../../shared/api';
import { api } from '../../api/client';
import { formatValue } from './format';
import { OverSeedsTables } from './OverSeedsTables';

/** Pick finished runs; see them side by side, with paired differences against the first when the folds match. */
export function CompareRuns({ runs }: { runs: { id: number; name: string }[] }) {
  const [picked, setPicked] = useState<number[]>([]);
  const [comparison, setComparison] = useState<RunComparison | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (picked.length < 2) {
      setComparison(null);
      setError(null);
      return;
    }
    // Ticks change faster than comparisons arrive: only the answer for the current ticks may land.
    let current = true;
    api.runs.compare
      .query({ runIds: picked })
      .then((result) => {
        if (!current) return;
        setComparison(result);
        setError(null);
      })
      .catch((cause: unknown) => {
        if (current) setError((cause as Error).message);
      });
    return () => {
      current = false;
    };
  }, [picked]);
  const attributes = comparison ? Object.keys(comparison.runs[0]?.dEOdds ?? {}) : [];
  return (
    <Stack spacing={1} data-testid="compare-runs">
      <Typography variant="subtitle1">Compare runs</Typography>
      <FormGroup row>
        {runs.map((run) => (
          <FormControlLabel
            key={run.id}
            control={
              <Checkbox
                checked={picked.includes(run.id)}
                onChange={() =>
                  setPicked((current) => (current.includes(run.id) ? current.filter((id) => id !== run.id) : [...current, run.id]))
                }
              />
            }
            label={`${run.id}. ${run.name}`}
          />
        ))}
      </FormGroup>
      {error && <Alert severity="error">{error}</Alert>}
      {comparison && (
        <>
          <Table size="small" data-testid="comparison-table">
            <TableHead>
              <TableRow>
                <TableCell>Run</TableCell>
                <TableCell align="right">AUC</TableCell>
                <TableCell align="right">Balanced ACC</TableCell>
                {attributes.map((a) => (
                  <TableCell key={a} align="right">
                    dEOdds {a}
                  </TableCell>
                ))}
                <TableCell align="right">Sex leakage</TableCell>
                <TableCell align="right">Site leakage</TableCell>
                <TableCell align="right">AUC − first run [95 % CI]</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {comparison.runs.map((run, k) => {
                const d = comparison.differences.find((x) => x.id === run.id);
                return (
                  <TableRow key={run.id}>
                    <TableCell>
                      {run.id}. {run.name}
                    </TableCell>
                    <TableCell align="right">{formatValue(run.auc)}</TableCell>
                    <TableCell align="right">{formatValue(run.balancedAcc)}</TableCell>
                    {attributes.map((a) => (
                      <TableCell key={a} align="right">
                        {formatValue(run.dEOdds[a])}
                      </TableCell>
                    ))}
                    <TableCell align="right">{formatValue(run.leakage)}</TableCell>
                    <TableCell align="right">{formatValue(run.siteLeakage)}</TableCell>
                    <TableCell align="right" data-testid={`difference-${run.id}`}>
                      {k === 0
                        ? 'reference'
                        : d
                          ? `${formatValue(d.aucDifference)} [${formatValue(d.ciLow)}, ${formatValue(d.ciHigh)}]`
                          : '–'}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          <Typography variant="caption" color="text.secondary">
            {comparison.paired
              ? 'Same subjects in the same folds: differences are paired (bootstrap over subjects).'
              : comparison.overSeeds
                ? 'Runs of different seeds use different folds: their differences are paired seed by seed below.'
                : 'These runs did not use identical folds, so no paired differences are shown.'}
          </Typography>
          {comparison.overSeeds && <OverSeedsTables rows={comparison.overSeeds} />}
        </>
      )}
    </Stack>
  );
}
