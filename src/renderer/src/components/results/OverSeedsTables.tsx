import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { OverSeedsRow } from '../../../../shared/api';
import { formatMeanSd, formatPaired } from '../../../../shared/figureText';

/** A table of one text column of variants (and more left-aligned ones) then right-aligned figures. */
function FigureTable({ testId, labels, figures, rows }: { testId: string; labels: string[]; figures: string[]; rows: string[][] }) {
  return (
    <Table size="small" data-testid={testId}>
      <TableHead>
        <TableRow>
          {[...labels, ...figures].map((header, k) => (
            <TableCell key={header} align={k < labels.length ? 'left' : 'right'}>
              {header}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((cells) => (
          <TableRow key={cells[0]}>
            {cells.map((cell, k) => (
              <TableCell key={k} align={k < labels.length ? 'left' : 'right'}>
                {cell}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * The picked runs by variant over their seeds, as `neurolip compare` writes them: each figure as
 * mean ± SD, then each variant minus the first one seed by seed, which says whether a difference
 * (a lower fairness gap, say) holds beyond the seeds' noise.
 */
export function OverSeedsTables({ rows }: { rows: OverSeedsRow[] }) {
  const attributes = [...new Set(rows.flatMap((row) => Object.keys(row.dEOdds)))];
  const fairness = [...attributes.map((a) => `dEOdds ${a}`), 'Sex leakage', 'Site leakage'];
  const compared = rows.filter((row) => row.vsReference !== null);
  return (
    <>
      <Typography variant="subtitle2">By variant, over seeds (mean ± SD)</Typography>
      <FigureTable
        testId="over-seeds-table"
        labels={['Variant', 'Seeds']}
        figures={['AUC', 'Balanced ACC', ...fairness]}
        rows={rows.map((row) => [
          row.variant,
          row.seeds.join(', '),
          ...[row.auc, row.balancedAcc, ...attributes.map((a) => row.dEOdds[a]), row.leakage.sex, row.leakage.site].map((value) =>
            formatMeanSd(value),
          ),
        ])}
      />
      {compared.length > 0 && (
        <>
          <Typography variant="subtitle2">
            Each variant minus {rows[0]!.variant}, seed by seed: mean ± SD (standard error; on how many seeds the variant was the higher)
          </Typography>
          <FigureTable
            testId="paired-by-seed-table"
            labels={['Variant']}
            figures={['AUC', ...fairness]}
            rows={compared.map(({ variant, vsReference: paired }) => [
              variant,
              ...[paired!.auc, ...attributes.map((a) => paired!.dEOdds[a]), paired!.leakage.sex, paired!.leakage.site].map((value) =>
                formatPaired(value),
              ),
            ])}
          />
        </>
      )}
    </>
  );
}
