import { Box, Grid, TextField, Typography } from '@mui/material';
import { LINEAR_MEMBER_FIELDS, linearMemberDefault, linearMemberText, type LinearMemberKey } from './presets';

/** The Advanced panel's section for the mixed ensemble's linear member: its own penalty, weight and learning rate. */
export function LinearMemberFields({
  variants,
  settings,
  changed,
  onChange,
}: {
  variants: string[];
  settings: Readonly<Record<string, number | string>>;
  changed: Partial<Record<LinearMemberKey, string>>;
  onChange: (changed: Partial<Record<LinearMemberKey, string>>) => void;
}) {
  return (
    <Box sx={{ mb: 2 }}>
      <Typography variant="subtitle2" gutterBottom>
        Linear member (the mixed ensemble’s second)
      </Typography>
      <Grid container spacing={1.5}>
        {LINEAR_MEMBER_FIELDS.map((field) => (
          <Grid key={field.key} size={12}>
            <TextField
              size="small"
              type="number"
              fullWidth
              label={field.label}
              value={changed[field.key] ?? ''}
              onChange={(event) => onChange({ ...changed, [field.key]: event.target.value })}
              helperText={`blank: default ${linearMemberDefault(field.key)}`}
              slotProps={{ htmlInput: { step: field.step, 'data-testid': `member-${field.key}` } }}
            />
          </Grid>
        ))}
        <Grid size={12}>
          <Typography variant="caption" color="text.secondary" data-testid="linear-member-text">
            {linearMemberText(variants, settings)}
          </Typography>
        </Grid>
      </Grid>
    </Box>
  );
}
