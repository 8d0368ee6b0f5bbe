import { Box, Slider, Stack, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import type { Threshold } from './thresholds';

/** A threshold as a percentile of |value| or an absolute |value|, with a slider. */
export function ThresholdControl({
  label,
  threshold,
  onChange,
  max,
  testId,
}: {
  label: string;
  threshold: Threshold;
  onChange: (t: Threshold) => void;
  max: number;
  testId: string;
}) {
  const value = threshold.kind === 'percentile' ? threshold.percent : threshold.value;
  return (
    <Box>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Typography variant="body2" sx={{ flexGrow: 1 }}>
          {label}: {threshold.kind === 'percentile' ? `${value.toFixed(0)}th percentile of |value|` : `|value| ≥ ${value.toPrecision(3)}`}
        </Typography>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={threshold.kind}
          onChange={(_, kind: Threshold['kind'] | null) =>
            kind && onChange(kind === 'percentile' ? { kind, percent: 50 } : { kind, value: max / 2 })
          }
        >
          <ToggleButton value="percentile">%</ToggleButton>
          <ToggleButton value="absolute">abs</ToggleButton>
        </ToggleButtonGroup>
      </Stack>
      <Slider
        size="small"
        value={value}
        min={0}
        max={threshold.kind === 'percentile' ? 100 : max}
        step={threshold.kind === 'percentile' ? 1 : max / 200}
        onChange={(_, v) => onChange(threshold.kind === 'percentile' ? { kind: 'percentile', percent: v } : { kind: 'absolute', value: v })}
        slotProps={{ input: { 'aria-label': label, 'data-testid': testId } as object }}
      />
    </Box>
  );
}
