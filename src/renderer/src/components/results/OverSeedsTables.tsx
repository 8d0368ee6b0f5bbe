import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { OverSeedsRow } from '../../../../shared/api';
import { formatMeanSd, formatPairedBySeed } from './format';

/**
 * The picked runs by variant over their seeds, as `neurolip compare` writes them: each figure as
 * mean ± SD, then each variant minus the first one seed by seed, which says whether a difference
 * (a lower fairness gap, say) holds beyond the seeds' noise.
 */
export function OverSeedsTables({ rows }: { rows: OverSeedsRow[] }) {
  const attributes = [...new Set(rows.flatMap((row) => Object.keys(row.dEOdds)))];
  const reference = rows[0]!.variant;
  const compared = rows.filter((row) => row.vsReference !== null);
  return (
    <>
      <Typography variant="subtitle2">By variant, over seeds (mean ± SD)</Typography>
      <Table size="small" data-testid="over-seeds-table">
        <TableHead>
          <TableRow>
            <TableCell>Variant</TableCell>
            <TableCell>Seeds</TableCell>
            <TableCell align="right">AUC</TableCell>
            <TableCell align="right">Balanced ACC</TableCell>
            {attributes.map((a) => (
              <TableCell key={a} align="right">
                dEOdds {a}
              </TableCell>
            ))}
            <TableCell align="right">Sex leakage</TableCell>
            <TableCell align="right">Site leakage</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row) => (
            <TableRow key={row.variant}>
              <TableCell>{row.variant}</TableCell>
              <TableCell>{row.seeds.join(', ')}</TableCell>
              <TableCell align="right">{formatMeanSd(row.auc)}</TableCell>
              <TableCell align="right">{formatMeanSd(row.balancedAcc)}</TableCell>
              {attributes.map((a) => (
                <TableCell key={a} align="right">
                  {formatMeanSd(row.dEOdds[a])}
                </TableCell>
              ))}
              <TableCell align="right">{formatMeanSd(row.leakage.sex)}</TableCell>
              <TableCell align="right">{formatMeanSd(row.leakage.site)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {compared.length > 0 && (
        <>
          <Typography variant="subtitle2">
            Each variant minus {reference}, seed by seed: mean ± SD (standard error; on how many seeds the variant was the higher)
          </Typography>
          <Table size="small" data-testid="paired-by-seed-table">
            <TableHead>
              <TableRow>
                <TableCell>Variant</TableCell>
                <TableCell align="right">AUC</TableCell>
                {attributes.map((a) => (
                  <TableCell key={a} align="right">
                    dEOdds {a}
                  </TableCell>
                ))}
                <TableCell align="right">Sex leakage</TableCell>
                <TableCell align="right">Site leakage</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {compared.map((row) => (
                <TableRow key={row.variant}>
                  <TableCell>{row.variant}</TableCell>
                  <TableCell align="right">{formatPairedBySeed(row.vsReference!.auc)}</TableCell>
                  {attributes.map((a) => (
                    <TableCell key={a} align="right">
                      {formatPairedBySeed(row.vsReference!.dEOdds[a])}
                    </TableCell>
                  ))}
                  <TableCell align="right">{formatPairedBySeed(row.vsReference!.leakage.sex)}</TableCell>
                  <TableCell align="right">{formatPairedBySeed(row.vsReference!.leakage.site)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </>
  );
}
