import { Checkbox, FormControl, FormControlLabel, FormGroup, FormHelperText, FormLabel } from '@mui/material';
import { sensitiveLabel, toggled } from './presets';

/** A row of ticks over the chosen sensitive attributes, with a line below saying what the choice does. */
export function AttributeTicks({
  label,
  attributes,
  ticked,
  onChange,
  testId,
  helper,
  helperTestId,
}: {
  label: string;
  attributes: string[];
  ticked: string[];
  onChange: (ticked: string[]) => void;
  /** Each tick's test id is `${testId}-${attribute}`. */
  testId: string;
  helper: string;
  helperTestId: string;
}) {
  return (
    <FormControl sx={{ mt: 1 }}>
      <FormLabel>{label}</FormLabel>
      <FormGroup row>
        {attributes.map((name) => (
          <FormControlLabel
            key={name}
            control={
              <Checkbox
                checked={ticked.includes(name)}
                onChange={() => onChange(toggled(ticked, name))}
                slotProps={{ input: { 'data-testid': `${testId}-${name}` } as object }}
              />
            }
            label={sensitiveLabel(name)}
          />
        ))}
      </FormGroup>
      <FormHelperText data-testid={helperTestId}>{helper}</FormHelperText>
    </FormControl>
  );
}
