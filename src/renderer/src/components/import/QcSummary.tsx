import { Alert, Box, List, ListItem, ListItemText, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { ImportSummary } from '../../../../shared/api';

/** What an import (or its dry run) kept, excluded and warned about. */
export function QcSummary({ summary }: { summary: ImportSummary }) {
  const q = summary.qcCounts;
  const rows: [string, number][] = [
    ['Phenotype rows', q.phenotypeRows],
    ['Data files', q.dataFiles],
    ['Phenotype rows without imaging', q.rowsWithoutImaging],
    ['Files without a phenotype row', q.filesWithoutPhenotype],
    ['Excluded: no diagnosis', q.excludedByMissingDiagnosis],
    ['Excluded: mean FD above the threshold', q.excludedByMeanFd],
    ['Excluded: too few time points', q.excludedByTimePoints],
    ['Excluded: too many empty ROIs', q.excludedByMissingRois],
  ];
  const sites = [...new Set(summary.counts.map((c) => c.site))];
  const groups = [...new Set(summary.counts.map((c) => `${c.diagnosis} · ${c.sex}`))].sort();
  const count = (site: string, group: string): number =>
    summary.counts.filter((c) => c.site === site && `${c.diagnosis} · ${c.sex}` === group).reduce((s, c) => s + c.count, 0);
  return (
    <Box data-testid="qc-summary">
      <Typography variant="subtitle1" gutterBottom data-testid="qc-headline">
        {summary.subjects} subjects, {summary.rois} ROIs
        {summary.atlas ? ` (${summary.atlas}, ${summary.roisWithCoordinates} with coordinates)` : ''}
      </Typography>
      <Table size="small" sx={{ mb: 2, maxWidth: 480 }}>
        <TableBody>
          {rows.map(([label, value]) => (
            <TableRow key={label}>
              <TableCell>{label}</TableCell>
              <TableCell align="right">{value}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Typography variant="subtitle2">Subjects by site, diagnosis and sex</Typography>
      <Table size="small" sx={{ mb: 2 }} data-testid="qc-counts">
        <TableHead>
          <TableRow>
            <TableCell>Site</TableCell>
            {groups.map((group) => (
              <TableCell key={group} align="right">
                {group}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {sites.map((site) => (
            <TableRow key={site}>
              <TableCell>{site}</TableCell>
              {groups.map((group) => (
                <TableCell key={group} align="right">
                  {count(site, group)}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {summary.warnings.map((warning) => (
        <Alert key={warning} severity="warning" sx={{ mb: 1 }}>
          {warning}
        </Alert>
      ))}
      {summary.excluded.length > 0 && (
        <>
          <Typography variant="subtitle2">Excluded subjects ({summary.excluded.length})</Typography>
          <List dense sx={{ maxHeight: 240, overflow: 'auto' }} data-testid="qc-excluded">
            {summary.excluded.map((e) => (
              <ListItem key={`${e.subject}-${e.where}`}>
                <ListItemText primary={`${e.subject}: ${e.reason}`} secondary={e.where} />
              </ListItem>
            ))}
          </List>
        </>
      )}
    </Box>
  );
}
