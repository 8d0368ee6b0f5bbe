import { Box, Paper, Typography } from '@mui/material';
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import type { BrainSurface } from '../../../../shared/api';
import { BrainScene, type Hemisphere, type SceneEdge, type SceneNode, type StandardView } from './BrainScene';

/** What the page can ask of a brain view. */
export interface BrainViewHandle {
  setView(view: StandardView): void;
  reset(): void;
  zoom(factor: number): void;
  snapshot(width: number, height: number, background: 'white' | 'transparent'): Blob | null;
}

export interface HoverText {
  label: string;
  detail: string;
}

interface BrainViewProps {
  surface: BrainSurface | undefined;
  nodes: SceneNode[];
  edges: SceneEdge[];
  hemisphere: Hemisphere;
  highlight: { position: [number, number, number]; radius: number } | null;
  onSelect: (roi: number) => void;
  describe: (roi: number) => HoverText;
  height?: number;
  testId?: string;
  ref?: Ref<BrainViewHandle>;
}

/** A glass brain with its ROI spheres and edges; hovering a sphere names it, clicking selects it. */
export function BrainView({ surface, nodes, edges, hemisphere, highlight, onSelect, describe, height = 520, testId, ref }: BrainViewProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const sceneRef = useRef<BrainScene | null>(null);
  const [hover, setHover] = useState<{ roi: number; x: number; y: number } | null>(null);

  useEffect(() => {
    const canvas = canvasRef.current!;
    const scene = new BrainScene(canvas);
    sceneRef.current = scene;
    const observer = new ResizeObserver(() => scene.resize(canvas.clientWidth, canvas.clientHeight));
    observer.observe(canvas);
    return () => {
      observer.disconnect();
      scene.dispose();
      sceneRef.current = null;
    };
  }, []);

  useEffect(() => {
    if (surface) sceneRef.current?.setSurface(surface.vertices, surface.triangles);
  }, [surface]);
  useEffect(() => {
    sceneRef.current?.setNodes(nodes);
  }, [nodes]);
  useEffect(() => {
    sceneRef.current?.setEdges(edges);
  }, [edges]);
  useEffect(() => {
    sceneRef.current?.setHemisphere(hemisphere);
  }, [hemisphere]);
  useEffect(() => {
    sceneRef.current?.setHighlight(highlight);
  }, [highlight]);

  useImperativeHandle(
    ref,
    () => ({
      setView: (view) => sceneRef.current?.setView(view),
      reset: () => sceneRef.current?.reset(),
      zoom: (factor) => sceneRef.current?.zoom(factor),
      snapshot: (width, height, background) => sceneRef.current?.snapshot(width, height, background) ?? null,
    }),
    [],
  );

  const hovered = hover ? describe(hover.roi) : null;
  return (
    <Box sx={{ position: 'relative', width: '100%', height }}>
      <canvas
        ref={canvasRef}
        data-testid={testId}
        style={{ width: '100%', height: '100%', display: 'block', cursor: hover ? 'pointer' : 'grab' }}
        onPointerMove={(event) => {
          const roi = sceneRef.current?.pick(event.clientX, event.clientY) ?? null;
          const rect = event.currentTarget.getBoundingClientRect();
          setHover(roi === null ? null : { roi, x: event.clientX - rect.left, y: event.clientY - rect.top });
        }}
        onPointerLeave={() => setHover(null)}
        onClick={(event) => {
          const roi = sceneRef.current?.pick(event.clientX, event.clientY) ?? null;
          if (roi !== null) onSelect(roi);
        }}
      />
      {hover && hovered && (
        <Paper
          elevation={4}
          data-testid="brain-tooltip"
          sx={{ position: 'absolute', left: hover.x + 14, top: hover.y + 14, px: 1.5, py: 1, pointerEvents: 'none', zIndex: 2 }}
        >
          <Typography variant="subtitle2">{hovered.label}</Typography>
          <Typography variant="caption" component="div" sx={{ whiteSpace: 'pre-line' }}>
            {hovered.detail}
          </Typography>
        </Paper>
      )}
    </Box>
  );
}
