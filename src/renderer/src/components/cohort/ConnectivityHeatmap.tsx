import { Box, Stack, Typography } from '@mui/material';
import { useEffect, useRef } from 'react';
import type { MeanConnectivity } from '../../../../shared/api';

/** Blue (negative) through white to red (positive), for a value scaled to [-1, 1]. */
export function divergingColour(value: number): [number, number, number] {
  const v = Math.max(-1, Math.min(1, value));
  const fade = (c: number): number => Math.round(255 - (255 - c) * Math.abs(v));
  return v >= 0 ? [255, fade(40), fade(40)] : [fade(40), fade(90), 255];
}

/** The cohort's mean Fisher-z connectivity as an R x R heatmap, with its colour scale. */
export function ConnectivityHeatmap({ mean, size = 420 }: { mean: MeanConnectivity; size?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const limit = Math.max(1e-6, ...mean.values.map(Math.abs));
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const r = mean.rois;
    const image = context.createImageData(r, r);
    mean.values.forEach((value, k) => {
      const [red, green, blue] = divergingColour(value / limit);
      image.data.set([red, green, blue, 255], k * 4);
    });
    context.putImageData(image, 0, 0);
  }, [mean, limit]);
  return (
    <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
      <canvas
        ref={canvas}
        width={mean.rois}
        height={mean.rois}
        data-testid="connectivity-heatmap"
        style={{ width: size, height: size, imageRendering: 'pixelated', border: '1px solid rgba(128,128,128,0.4)' }}
      />
      <Stack sx={{ alignItems: 'center' }}>
        <Typography variant="caption">+{limit.toFixed(2)}</Typography>
        <Box
          sx={{
            width: 16,
            height: 200,
            background: `linear-gradient(rgb(${divergingColour(1).join(',')}), white, rgb(${divergingColour(-1).join(',')}))`,
          }}
        />
        <Typography variant="caption">−{limit.toFixed(2)}</Typography>
        <Typography variant="caption" color="text.secondary">
          mean Fisher z
        </Typography>
      </Stack>
    </Stack>
  );
}
