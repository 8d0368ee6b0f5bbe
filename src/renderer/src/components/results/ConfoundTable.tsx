import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/useApiQuery';
import { QueryError } from '../ErrorSurface';
import { formatCorrelation } from '../../../../shared/figureText';
import { formatValue } from './format';

/**
 * Whether the run's predictions follow head motion, age or scan length beyond the diagnosis: each
 * variable's mean and its Spearman correlation with the patient probability, within each class.
 */
/** About the finished table's height in pixels: its text, two header rows and three variables. */
const CHECKS_HEIGHT = 260;

export function ConfoundTable({ runId }: { runId: number }) {
  const checks = useApiQuery(() => api.runs.confounds.query({ runId }));
  if (checks.error) return <QueryError what="the confound checks" error={checks.error} onRetry={checks.reload} />;
  const heading = <Typography variant="subtitle2">Confounds: do the predictions follow a nuisance variable?</Typography>;
  // The checks arrive after the rest of the run (2,000 permutations each): their space is kept from
  // the start, so that nothing below them moves when they come.
  if (!checks.data)
    return (
      <Box sx={{ minHeight: CHECKS_HEIGHT }}>
        {heading}
        <Typography variant="body2" color="text.secondary">
          Computing the confound checks…
        </Typography>
      </Box>
    );
  const groups = checks.data[0]?.groups.map((group) => group.group) ?? [];
  return (
    <Box sx={{ minHeight: CHECKS_HEIGHT }}>
      {heading}
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        Within each diagnosis class the diagnosis is fixed, so a clear correlation between the patient probability and a variable there
        means the predictions track the variable itself. Spearman&apos;s rho, two-sided permutation p (2,000 shuffles), then the same p
        adjusted by Holm&apos;s method for all six tests.
      </Typography>
      <Table size="small" data-testid="confound-table">
        <TableHead>
          <TableRow>
            <TableCell>Variable</TableCell>
            {groups.map((group) => (
              <TableCell key={group} align="right" colSpan={2}>
                {group}
              </TableCell>
            ))}
          </TableRow>
          <TableRow>
            <TableCell />
            {groups.map((group) => [
              <TableCell key={`${group}-mean`} align="right">
                mean (n)
              </TableCell>,
              <TableCell key={`${group}-rho`} align="right">
                rho with the patient probability
              </TableCell>,
            ])}
          </TableRow>
        </TableHead>
        <TableBody>
          {checks.data.map((check) => (
            <TableRow key={check.variable}>
              <TableCell>{check.label}</TableCell>
              {check.groups.map((group) => [
                <TableCell key={`${group.group}-mean`} align="right">
                  {group.mean === null ? '–' : `${formatValue(group.mean)} (${group.n})`}
                </TableCell>,
                <TableCell key={`${group.group}-rho`} align="right">
                  {formatCorrelation(group)}
                </TableCell>,
              ])}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
