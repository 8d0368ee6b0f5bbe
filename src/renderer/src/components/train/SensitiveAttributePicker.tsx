import { Autocomplete, Checkbox, FormControl, FormControlLabel, FormGroup, FormLabel, TextField } from '@mui/material';
import type { SensitiveAttributeOption } from '../../../../shared/api';
import { hasGroupsToCompare, isDerivedAttribute, sensitiveLabel, toggled } from './presets';

function optionText(option: SensitiveAttributeOption): string {
  const [only] = option.groups;
  if (hasGroupsToCompare(option)) return `${sensitiveLabel(option.name)} (${option.groups.length} groups)`;
  return `${sensitiveLabel(option.name)} (${only ? `${only.value} only` : 'no values'} in this cohort: nothing to compare)`;
}

/**
 * The sensitive attributes to report fairness by: sex, age group and site as ticks; the cohort's
 * other categorical phenotype columns (dozens on ABIDE: ADOS scores, handedness, QC ratings) in a
 * searchable list, so that they do not push the rest of the form off the page. A built-in attribute
 * with one group in the cohort (sex in an all-male cohort) is shown unticked and disabled.
 */
export function SensitiveAttributePicker({
  options,
  chosen,
  onChange,
}: {
  options: SensitiveAttributeOption[];
  chosen: string[];
  onChange: (chosen: string[]) => void;
}) {
  const derived = options.filter((option) => isDerivedAttribute(option.name));
  const others = options.filter((option) => !isDerivedAttribute(option.name));
  return (
    <FormControl fullWidth>
      <FormLabel>Sensitive attributes</FormLabel>
      <FormGroup>
        {derived.map((option) => (
          <FormControlLabel
            key={option.name}
            control={
              <Checkbox
                checked={hasGroupsToCompare(option) && chosen.includes(option.name)}
                disabled={!hasGroupsToCompare(option)}
                onChange={() => onChange(toggled(chosen, option.name))}
                slotProps={{ input: { 'data-testid': `sensitive-${option.name}` } as object }}
              />
            }
            label={optionText(option)}
          />
        ))}
      </FormGroup>
      {others.length > 0 && (
        <Autocomplete
          multiple
          size="small"
          options={others}
          value={others.filter((option) => chosen.includes(option.name))}
          getOptionLabel={optionText}
          isOptionEqualToValue={(a, b) => a.name === b.name}
          onChange={(_event, picked) => onChange([...chosen.filter(isDerivedAttribute), ...picked.map((option) => option.name)])}
          renderInput={(params) => (
            <TextField
              {...params}
              label="Other phenotype columns"
              helperText={`${others.length} more categorical columns of this cohort (2 to 20 groups); type to search`}
              slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'sensitive-others' } }}
            />
          )}
          sx={{ mt: 1 }}
        />
      )}
    </FormControl>
  );
}
