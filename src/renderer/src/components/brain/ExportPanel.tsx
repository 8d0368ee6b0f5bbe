import { Button, MenuItem, Stack, TextField } from '@mui/material';
import { useState } from 'react';
import { downloadBlob, downloadText } from '../charts/download';
import { writeEdgeFile, writeNodeFile, type BrainNetNode } from './brainNet';
import type { Edge } from './topEdges';

interface ExportPanelProps {
  /** The file name stem, e.g. "run-3-dx-autism". */
  name: string;
  snapshot: (width: number, height: number, background: 'white' | 'transparent') => Blob | null;
  nodes: BrainNetNode[];
  /** Edges between indices of `nodes`. */
  edges: Edge[];
}

/** PNG of the view at a chosen size and background, and BrainNet Viewer .node/.edge files of what is drawn. */
export function ExportPanel({ name, snapshot, nodes, edges }: ExportPanelProps) {
  const [width, setWidth] = useState(1600);
  const [height, setHeight] = useState(1200);
  const [background, setBackground] = useState<'white' | 'transparent'>('white');
  const valid = (v: number): boolean => Number.isInteger(v) && v >= 64 && v <= 8192;
  return (
    <Stack spacing={1.5}>
      <Stack direction="row" spacing={1}>
        <TextField
          size="small"
          type="number"
          label="Width (px)"
          value={width}
          error={!valid(width)}
          onChange={(e) => setWidth(Number(e.target.value))}
          slotProps={{ htmlInput: { 'data-testid': 'png-width', min: 64, max: 8192 } }}
        />
        <TextField
          size="small"
          type="number"
          label="Height (px)"
          value={height}
          error={!valid(height)}
          onChange={(e) => setHeight(Number(e.target.value))}
          slotProps={{ htmlInput: { 'data-testid': 'png-height', min: 64, max: 8192 } }}
        />
        <TextField
          select
          size="small"
          label="Background"
          value={background}
          onChange={(e) => setBackground(e.target.value as 'white' | 'transparent')}
          sx={{ minWidth: 140 }}
        >
          <MenuItem value="white">White</MenuItem>
          <MenuItem value="transparent">Transparent</MenuItem>
        </TextField>
      </Stack>
      <Stack direction="row" spacing={1}>
        <Button
          variant="outlined"
          disabled={!valid(width) || !valid(height)}
          data-testid="export-png"
          onClick={() => {
            const blob = snapshot(width, height, background);
            if (blob) downloadBlob(`${name}.png`, blob);
          }}
        >
          PNG
        </Button>
        <Button
          variant="outlined"
          data-testid="export-node"
          onClick={() => downloadText(`${name}.node`, writeNodeFile(nodes), 'text/plain')}
        >
          BrainNet .node
        </Button>
        <Button
          variant="outlined"
          data-testid="export-edge"
          onClick={() => downloadText(`${name}.edge`, writeEdgeFile(nodes.length, edges), 'text/plain')}
        >
          BrainNet .edge
        </Button>
      </Stack>
    </Stack>
  );
}
