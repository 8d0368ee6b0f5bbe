import { Box, Stack, Typography } from '@mui/material';
import { cssGradient, type ColourMapName } from './colourMaps';
import type { ValueRange } from './nodeStyle';

/** The colour map's gradient with the values at its ends (and 0 in the middle of a signed map). */
export function ColourBar({ map, range, title }: { map: ColourMapName; range: ValueRange; title: string }) {
  const format = (v: number): string => (Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(3) : v.toExponential(2));
  return (
    <Box data-testid="colour-bar" sx={{ width: '100%' }}>
      <Typography variant="caption" color="text.secondary">
        {title}
      </Typography>
      <Box sx={{ height: 12, borderRadius: 1, background: cssGradient(map) }} />
      <Stack direction="row" sx={{ justifyContent: 'space-between' }}>
        <Typography variant="caption">{format(range.min)}</Typography>
        {range.signed && <Typography variant="caption">0</Typography>}
        <Typography variant="caption">{format(range.max)}</Typography>
      </Stack>
    </Box>
  );
}
