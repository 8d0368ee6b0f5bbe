import { Table, TableBody, TableCell, TableHead, TablePagination, TableRow, TableSortLabel, TextField } from '@mui/material';
import { useMemo, useState } from 'react';
import type { SubjectRow } from '../../../../shared/api';

type Column = keyof Omit<SubjectRow, 'id'>;
const COLUMNS: [Column, string][] = [
  ['externalId', 'Subject'],
  ['diagnosis', 'Diagnosis'],
  ['sex', 'Sex'],
  ['age', 'Age'],
  ['site', 'Site'],
  ['meanFd', 'Mean FD (mm)'],
  ['timePoints', 'Time points'],
  ['missingRois', 'Empty ROIs'],
];

function show(value: SubjectRow[Column]): string {
  if (value === null) return '—';
  return typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(3) : String(value);
}

/** The cohort's subjects: filter, sort, page. */
export function SubjectTable({ subjects }: { subjects: SubjectRow[] }) {
  const [filter, setFilter] = useState('');
  const [orderBy, setOrderBy] = useState<Column>('externalId');
  const [ascending, setAscending] = useState(true);
  const [page, setPage] = useState(0);
  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const kept = needle ? subjects.filter((s) => COLUMNS.some(([c]) => show(s[c]).toLowerCase().includes(needle))) : subjects;
    return [...kept].sort((a, b) => {
      const x = a[orderBy];
      const y = b[orderBy];
      const order = x === null ? 1 : y === null ? -1 : x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
  }, [subjects, filter, orderBy, ascending]);
  return (
    <>
      <TextField
        size="small"
        label="Filter"
        value={filter}
        onChange={(event) => (setFilter(event.target.value), setPage(0))}
        sx={{ mb: 1 }}
      />
      <Table size="small" data-testid="subject-table">
        <TableHead>
          <TableRow>
            {COLUMNS.map(([column, label]) => (
              <TableCell key={column}>
                <TableSortLabel
                  active={orderBy === column}
                  direction={ascending ? 'asc' : 'desc'}
                  onClick={() => (orderBy === column ? setAscending(!ascending) : (setOrderBy(column), setAscending(true)))}
                >
                  {label}
                </TableSortLabel>
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.slice(page * 25, page * 25 + 25).map((subject) => (
            <TableRow key={subject.id}>
              {COLUMNS.map(([column]) => (
                <TableCell key={column}>{show(subject[column])}</TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <TablePagination
        component="div"
        count={rows.length}
        page={page}
        rowsPerPage={25}
        rowsPerPageOptions={[25]}
        onPageChange={(_, next) => setPage(next)}
      />
    </>
  );
}
