import { Table, TableBody, TableCell, TableContainer, TableHead, TableRow } from '@mui/material';
import { useEffect, useRef } from 'react';
import type { CohortRoi } from '../../../../shared/api';

interface TopRoiTableProps {
  rois: CohortRoi[];
  values: ArrayLike<number>;
  /** ROI indices in rank order. */
  ranked: number[];
  selected: number | null;
  onSelect: (roi: number) => void;
}

const coordinate = (v: number | null): string => (v === null ? '–' : String(Math.round(v) || 0));

/** The top ROIs of the shown map; a click selects the ROI in the brain, and a ROI picked in the brain is selected here. */
export function TopRoiTable({ rois, values, ranked, selected, onSelect }: TopRoiTableProps) {
  const rows = selected !== null && !ranked.includes(selected) ? [...ranked, selected] : ranked;
  const selectedRow = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    selectedRow.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  return (
    <TableContainer sx={{ maxHeight: 520 }}>
      {/* Narrow cells, so that the coordinates fit beside the labels in the page's third. */}
      <Table size="small" stickyHeader data-testid="top-roi-table" sx={{ '& th, & td': { px: 1 } }}>
        <TableHead>
          <TableRow>
            <TableCell>#</TableCell>
            <TableCell>ROI</TableCell>
            <TableCell align="right">Value</TableCell>
            <TableCell align="right">MNI x, y, z</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((r) => {
            const roi = rois[r]!;
            const rank = ranked.indexOf(r);
            return (
              <TableRow
                key={r}
                hover
                selected={r === selected}
                ref={r === selected ? selectedRow : undefined}
                onClick={() => onSelect(r)}
                sx={{ cursor: 'pointer' }}
                data-roi={r}
              >
                <TableCell>{rank === -1 ? '–' : rank + 1}</TableCell>
                <TableCell>{roi.label}</TableCell>
                <TableCell align="right">{values[r]!.toPrecision(4)}</TableCell>
                <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                  {[roi.x, roi.y, roi.z].map(coordinate).join(', ')}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
