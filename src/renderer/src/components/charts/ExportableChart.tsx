import { Box, Button, Stack, Typography } from '@mui/material';
import { useRef, type ReactNode } from 'react';
import { useErrorSurface } from '../ErrorSurface';
import { chartToSvg, svgToPng } from './chartExport';
import { downloadBlob } from './download';

/** A chart with its title and PNG and SVG export buttons; `name` makes the file names (`${name}.png`). */
export function ExportableChart({ name, title, children }: { name: string; title: string; children: ReactNode }) {
  const container = useRef<HTMLDivElement>(null);
  const { report } = useErrorSurface();
  const save = async (format: 'svg' | 'png'): Promise<void> => {
    try {
      const { svg, width, height } = chartToSvg(container.current!, title);
      const blob = format === 'svg' ? new Blob([svg], { type: 'image/svg+xml' }) : await svgToPng(svg, width, height);
      downloadBlob(`${name}.${format}`, blob);
    } catch (error) {
      report(`Exporting the chart as ${format.toUpperCase()}`, error);
    }
  };
  return (
    <Box data-testid={`chart-${name}`}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Typography variant="subtitle2" sx={{ flexGrow: 1 }}>
          {title}
        </Typography>
        <Button size="small" onClick={() => void save('png')} data-testid={`export-${name}-png`}>
          PNG
        </Button>
        <Button size="small" onClick={() => void save('svg')} data-testid={`export-${name}-svg`}>
          SVG
        </Button>
      </Stack>
      <Box ref={container}>{children}</Box>
    </Box>
  );
}
