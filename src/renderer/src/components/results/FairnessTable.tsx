import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { RunSummary } from '../../../../shared/api';
import { formatValue } from './format';

type FairnessReport = RunSummary['fairness'][string];

const GAPS = ['dDP', 'dEOpp', 'dEOdds', 'dAUC'] as const;

/** A gap's bootstrap 95 % interval as " [low, high]"; nothing for runs stored without intervals. */
const interval = (ci: [number | null, number | null] | undefined): string => (ci ? ` [${formatValue(ci[0])}, ${formatValue(ci[1])}]` : '');

/** The permutation null of dEOdds in words: what chance alone gives with these group sizes, and the p-value. */
export function chanceText(nullGap: NonNullable<FairnessReport['dEOddsNull']>): string {
  if (nullGap.chance === null || nullGap.p === null) return 'dEOdds by chance: not available (fewer than two groups large enough).';
  const verdict = nullGap.p < 0.05 ? 'larger than chance' : 'within what chance gives';
  return `dEOdds by chance with these group sizes (group labels shuffled within each diagnosis): median ${formatValue(nullGap.chance)}; the observed gap is ${verdict} (p = ${formatValue(nullGap.p)}).`;
}

/** One sensitive attribute's gaps (with 95 % CIs) and its per-group table (n, ACC, AUC, TPR, FPR, selection rate); small groups flagged. */
export function FairnessTable({ attribute, report }: { attribute: string; report: FairnessReport }) {
  return (
    <>
      <Typography variant="subtitle2">
        Fairness by {attribute}: {GAPS.map((gap) => `${gap} ${formatValue(report[gap])}${interval(report.ci?.[gap])}`).join(', ')}
      </Typography>
      {report.dEOddsNull && (
        <Typography variant="body2" color="text.secondary" data-testid={`fairness-null-${attribute}`}>
          {chanceText(report.dEOddsNull)}
        </Typography>
      )}
      <Table size="small" data-testid={`fairness-${attribute}`}>
        <TableHead>
          <TableRow>
            <TableCell>Group</TableCell>
            <TableCell align="right">n</TableCell>
            <TableCell align="right">ACC</TableCell>
            <TableCell align="right">AUC</TableCell>
            <TableCell align="right">TPR</TableCell>
            <TableCell align="right">FPR</TableCell>
            <TableCell align="right">Selection rate</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {report.groups.map((group) => (
            <TableRow key={group.group} sx={group.small ? { opacity: 0.6 } : undefined}>
              <TableCell>
                {group.group}
                {group.small ? ' *' : ''}
              </TableCell>
              <TableCell align="right">{group.n}</TableCell>
              <TableCell align="right">{formatValue(group.acc)}</TableCell>
              <TableCell align="right">{formatValue(group.auc)}</TableCell>
              <TableCell align="right">{formatValue(group.tpr)}</TableCell>
              <TableCell align="right">{formatValue(group.fpr)}</TableCell>
              <TableCell align="right">{formatValue(group.selectionRate)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {report.groups.some((group) => group.small) && (
        <Typography variant="caption" color="text.secondary">
          * fewer than 10 test subjects: listed, but left out of the gaps.
        </Typography>
      )}
    </>
  );
}
