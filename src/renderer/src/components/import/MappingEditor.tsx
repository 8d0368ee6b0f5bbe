import { Grid, MenuItem, Stack, TextField, Typography } from '@mui/material';
import type { ColumnSummary, ImportMapping } from '../../../../shared/api';

const NONE = '(none)';

function ColumnSelect({
  label,
  value,
  columns,
  onChange,
  optional,
}: {
  label: string;
  value: string | null;
  columns: ColumnSummary[];
  onChange: (column: string | null) => void;
  optional?: boolean;
}) {
  return (
    <TextField
      select
      size="small"
      fullWidth
      label={label}
      value={value ?? NONE}
      onChange={(event) => onChange(event.target.value === NONE ? null : event.target.value)}
    >
      {optional && <MenuItem value={NONE}>{NONE}</MenuItem>}
      {columns.map((column) => (
        <MenuItem key={column.name} value={column.name}>
          {column.name}{' '}
          <Typography component="span" variant="caption" color="text.secondary" sx={{ ml: 1 }}>
            ({column.distinct} values)
          </Typography>
        </MenuItem>
      ))}
    </TextField>
  );
}

/** Codes (cell value -> label) of a categorical column, one editable label per value found in the table. */
function CodesEditor({
  title,
  column,
  codes,
  columns,
  onChange,
}: {
  title: string;
  column: string;
  codes: Record<string, string>;
  columns: ColumnSummary[];
  onChange: (codes: Record<string, string>) => void;
}) {
  const summary = columns.find((c) => c.name === column);
  const values = [...new Set([...Object.keys(codes), ...(summary?.values.map((v) => v.value).filter((v) => v !== '') ?? [])])];
  return (
    <Stack spacing={1}>
      <Typography variant="subtitle2">{title}</Typography>
      {values.map((value) => (
        <Stack key={value} direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <Typography sx={{ width: 110, fontFamily: 'monospace' }}>
            {value}{' '}
            <Typography component="span" variant="caption" color="text.secondary">
              ×{summary?.values.find((v) => v.value === value)?.count ?? 0}
            </Typography>
          </Typography>
          <TextField
            size="small"
            label="means"
            value={codes[value] ?? ''}
            placeholder="(missing)"
            onChange={(event) => {
              const next = { ...codes };
              if (event.target.value.trim() === '') delete next[value];
              else next[value] = event.target.value;
              onChange(next);
            }}
          />
        </Stack>
      ))}
    </Stack>
  );
}

/** Review and override which column plays which role, and what its codes mean. */
export function MappingEditor({
  mapping,
  columns,
  onChange,
}: {
  mapping: ImportMapping;
  columns: ColumnSummary[];
  onChange: (mapping: ImportMapping) => void;
}) {
  const labels = [...new Set(Object.values(mapping.diagnosis.codes))];
  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 12, md: 4 }}>
        <Stack spacing={2}>
          <ColumnSelect
            label="Subject ID (names the files)"
            value={mapping.subjectId}
            columns={columns}
            onChange={(c) => c && onChange({ ...mapping, subjectId: c })}
          />
          <ColumnSelect
            label="Diagnosis (target)"
            value={mapping.diagnosis.column}
            columns={columns}
            onChange={(c) => c && onChange({ ...mapping, diagnosis: { ...mapping.diagnosis, column: c } })}
          />
          <ColumnSelect
            label="Sex"
            optional
            value={mapping.sex?.column ?? null}
            columns={columns}
            onChange={(c) => onChange({ ...mapping, sex: c ? { column: c, codes: mapping.sex?.codes ?? {} } : null })}
          />
          <ColumnSelect
            label="Age (years)"
            optional
            value={mapping.age?.column ?? null}
            columns={columns}
            onChange={(c) => onChange({ ...mapping, age: c ? { column: c } : null })}
          />
          <ColumnSelect
            label="Site"
            optional
            value={mapping.site?.column ?? null}
            columns={columns}
            onChange={(c) => onChange({ ...mapping, site: c ? { column: c } : null })}
          />
          <ColumnSelect
            label="Mean framewise displacement (mm)"
            optional
            value={mapping.meanFd?.column ?? null}
            columns={columns}
            onChange={(c) => onChange({ ...mapping, meanFd: c ? { column: c } : null })}
          />
          <TextField
            size="small"
            label="Values that mean missing"
            helperText="Comma-separated; empty cells are always missing"
            value={mapping.missingValues.join(', ')}
            onChange={(event) =>
              onChange({
                ...mapping,
                missingValues: event.target.value
                  .split(',')
                  .map((v) => v.trim())
                  .filter(Boolean),
              })
            }
          />
        </Stack>
      </Grid>
      <Grid size={{ xs: 12, md: 4 }}>
        <CodesEditor
          title={`Diagnosis codes (${mapping.diagnosis.column})`}
          column={mapping.diagnosis.column}
          codes={mapping.diagnosis.codes}
          columns={columns}
          onChange={(codes) => onChange({ ...mapping, diagnosis: { ...mapping.diagnosis, codes } })}
        />
        <TextField
          select
          size="small"
          label="Control group"
          value={labels.includes(mapping.diagnosis.control) ? mapping.diagnosis.control : ''}
          sx={{ mt: 2, minWidth: 200 }}
          onChange={(event) => onChange({ ...mapping, diagnosis: { ...mapping.diagnosis, control: event.target.value } })}
        >
          {labels.map((label) => (
            <MenuItem key={label} value={label}>
              {label}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid size={{ xs: 12, md: 4 }}>
        {mapping.sex && (
          <CodesEditor
            title={`Sex codes (${mapping.sex.column})`}
            column={mapping.sex.column}
            codes={mapping.sex.codes}
            columns={columns}
            onChange={(codes) => onChange({ ...mapping, sex: { ...mapping.sex!, codes } })}
          />
        )}
      </Grid>
    </Grid>
  );
}
