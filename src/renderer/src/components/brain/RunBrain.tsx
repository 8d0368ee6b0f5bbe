import {
  Alert,
  Box,
  Button,
  ButtonGroup,
  Card,
  CardContent,
  FormControlLabel,
  Grid,
  MenuItem,
  Slider,
  Stack,
  Switch,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { BrainRunMaps, BrainSurface, ConnectivityDifference } from '../../../../shared/api';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/useApiQuery';
import { QueryError } from '../ErrorSurface';
import type { Hemisphere, StandardView } from './BrainScene';
import { BrainView, type BrainViewHandle } from './BrainView';
import { ColourBar } from './ColourBar';
import { COLOUR_MAPS, type ColourMapName } from './colourMaps';
import { ExportPanel } from './ExportPanel';
import { valueRange } from './nodeStyle';
import { ReferenceMapPanel } from './ReferenceMapPanel';
import { sceneEdges, sceneNodes, shownRoi } from './sceneInputs';
import { ThresholdControl } from './ThresholdControl';
import { cutoff, type Threshold } from './thresholds';
import { topEdges } from './topEdges';
import { rankRois } from './topRois';
import { TopRoiTable } from './TopRoiTable';
import { useMapValues, type Source } from './useMapValues';

const TOP_ROWS = 15;

/** The brain view of one finished run: pick the token and subject, threshold, edges, compare, reference and export. */
export function RunBrain({ runId, surface }: { runId: number; surface: BrainSurface | undefined }) {
  const query = useApiQuery(() => api.brain.maps.query({ runId }));
  if (query.error) return <QueryError what="this run's attention maps" error={query.error} onRetry={query.reload} />;
  if (!query.data) return <Typography color="text.secondary">Reading the run's maps…</Typography>;
  return <RunBrainView runId={runId} maps={query.data} surface={surface} />;
}

function RunBrainView({ runId, maps, surface }: { runId: number; maps: BrainRunMaps; surface: BrainSurface | undefined }) {
  const [source, setSource] = useState<Source>({ kind: 'group' });
  const tokens = source.kind === 'group' ? maps.groupTokens : maps.subjectTokens;
  const [token, setToken] = useState(() => maps.groupTokens.find((t) => t.kind === 'diagnosis')?.id ?? maps.groupTokens[0]!.id);
  const shownToken = tokens.some((t) => t.id === token) ? token : tokens[0]!.id;
  const [compareToken, setCompareToken] = useState<string>('');
  const [colourMap, setColourMap] = useState<ColourMapName>('viridis');
  const [threshold, setThreshold] = useState<Threshold>({ kind: 'percentile', percent: 50 });
  const [showBelow, setShowBelow] = useState(true);
  const [hemisphere, setHemisphere] = useState<Hemisphere>('both');
  const [edgesOn, setEdgesOn] = useState(false);
  const [edgeTopK, setEdgeTopK] = useState(20);
  const [edgeThreshold, setEdgeThreshold] = useState<Threshold>({ kind: 'percentile', percent: 80 });
  const [difference, setDifference] = useState<ConnectivityDifference | null>(null);
  const [differenceError, setDifferenceError] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [overlap, setOverlap] = useState<{ key: string; value: number | null; error: string | null } | null>(null);
  const view = useRef<BrainViewHandle>(null);
  const compareView = useRef<BrainViewHandle>(null);

  const { values, error } = useMapValues(runId, maps, source, shownToken);
  const compareOn = source.kind === 'group' && compareToken !== '' && maps.groupMaps[compareToken] !== undefined;
  const compareValues = compareOn ? maps.groupMaps[compareToken]! : null;

  useEffect(() => {
    if (!edgesOn || difference) return;
    api.brain.connectivityDifference
      .query({ runId })
      .then(setDifference)
      .catch((cause: unknown) => setDifferenceError(cause instanceof Error ? cause.message : String(cause)));
  }, [edgesOn, difference, runId]);

  const overlapKey = `${shownToken}|${compareToken}`;
  useEffect(() => {
    if (!compareOn) return;
    let live = true;
    api.brain.overlap
      .query({ runId, tokens: [shownToken, compareToken] })
      .then((r) => live && setOverlap({ key: overlapKey, value: r.overlap, error: null }))
      .catch(
        (cause: unknown) =>
          live && setOverlap({ key: overlapKey, value: null, error: cause instanceof Error ? cause.message : String(cause) }),
      );
    return () => {
      live = false;
    };
  }, [compareOn, runId, shownToken, compareToken, overlapKey]);

  const tokenLabel = (id: string): string => [...maps.groupTokens, ...maps.subjectTokens].find((t) => t.id === id)?.label ?? id;
  const layers = (map: number[] | null) => {
    if (!map) return null;
    const range = valueRange(map);
    const cut = cutoff(map, threshold);
    const nodes = sceneNodes(maps.rois, map, range, { colourMap, cut, showBelow, hemisphere });
    const edges = edgesOn && difference ? topEdges(difference.values, difference.rois, map, edgeTopK, edgeThreshold) : [];
    return { range, nodes, edges, drawnEdges: sceneEdges(maps.rois, edges, hemisphere), ranked: rankRois(map, range.signed, TOP_ROWS) };
  };
  const main = useMemo(
    () => layers(values),
    [values, threshold, colourMap, showBelow, hemisphere, edgesOn, difference, edgeTopK, edgeThreshold],
  );
  const side = useMemo(
    () => layers(compareValues),
    [compareValues, threshold, colourMap, showBelow, hemisphere, edgesOn, difference, edgeTopK, edgeThreshold],
  );

  const highlight = useMemo(() => {
    const roi = selected === null ? undefined : maps.rois[selected];
    if (!roi || roi.x === null || roi.y === null || roi.z === null) return null;
    const node = main?.nodes.find((n) => n.roi === selected);
    return { position: [roi.x, roi.y, roi.z] as [number, number, number], radius: node?.radius ?? 2 };
  }, [selected, maps.rois, main]);

  const describe = (map: number[] | null) => (roi: number) => {
    const r = maps.rois[roi]!;
    return {
      label: r.label,
      detail: `MNI ${[r.x, r.y, r.z].map((v) => (v === null ? '–' : v.toFixed(1))).join(', ')}\nvalue ${map?.[roi]?.toPrecision(4) ?? '–'}`,
    };
  };
  const standardView = (v: StandardView): void => {
    view.current?.setView(v);
    compareView.current?.setView(v);
  };
  const absMax = values ? Math.max(1e-9, ...values.map(Math.abs)) : 1;
  const fileStem = `run-${runId}-${source.kind === 'subject' ? `subject-${source.subjectId}-` : ''}${shownToken.replace(/[^\w-]+/g, '-')}`;
  const exportNodes = main
    ? main.nodes.map((n) => {
        const roi = maps.rois[n.roi]!;
        return { label: roi.label, x: roi.x!, y: roi.y!, z: roi.z!, value: values![n.roi]! };
      })
    : [];
  const exportIndex = new Map(main?.nodes.map((n, i) => [n.roi, i]) ?? []);
  const exportEdges = (main?.edges ?? []).flatMap((e) =>
    exportIndex.has(e.from) && exportIndex.has(e.to)
      ? [{ from: exportIndex.get(e.from)!, to: exportIndex.get(e.to)!, value: e.value }]
      : [],
  );

  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 12, lg: 3 }}>
        <Card variant="outlined">
          <CardContent>
            <Stack spacing={2}>
              <ToggleButtonGroup
                size="small"
                exclusive
                fullWidth
                value={source.kind}
                onChange={(_, kind: Source['kind'] | null) => {
                  if (kind === 'group') setSource({ kind: 'group' });
                  if (kind === 'subject' && maps.subjects[0]) setSource({ kind: 'subject', subjectId: maps.subjects[0].id });
                }}
              >
                <ToggleButton value="group" data-testid="source-group">
                  Group map
                </ToggleButton>
                <ToggleButton value="subject" data-testid="source-subject" disabled={maps.subjects.length === 0}>
                  One subject
                </ToggleButton>
              </ToggleButtonGroup>
              {source.kind === 'subject' && (
                <TextField
                  select
                  size="small"
                  label="Subject"
                  value={source.subjectId}
                  onChange={(e) => setSource({ kind: 'subject', subjectId: Number(e.target.value) })}
                >
                  {maps.subjects.map((s) => (
                    <MenuItem key={s.id} value={s.id}>
                      {s.externalId} ({s.diagnosis})
                    </MenuItem>
                  ))}
                </TextField>
              )}
              <TextField
                select
                size="small"
                label="Token"
                value={shownToken}
                onChange={(e) => setToken(e.target.value)}
                slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'token-select' } as object } }}
              >
                {tokens.map((t) => (
                  <MenuItem key={t.id} value={t.id} data-testid={`token-${t.id}`}>
                    {t.label}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                select
                size="small"
                label="Colour map"
                value={colourMap}
                onChange={(e) => setColourMap(e.target.value as ColourMapName)}
              >
                {Object.keys(COLOUR_MAPS).map((name) => (
                  <MenuItem key={name} value={name}>
                    {name}
                  </MenuItem>
                ))}
              </TextField>
              <ThresholdControl label="Node threshold" threshold={threshold} onChange={setThreshold} max={absMax} testId="node-threshold" />
              <FormControlLabel
                control={<Switch checked={showBelow} onChange={(e) => setShowBelow(e.target.checked)} />}
                label="Show nodes below the threshold"
              />
              <ToggleButtonGroup
                size="small"
                exclusive
                fullWidth
                value={hemisphere}
                onChange={(_, h: Hemisphere | null) => h && setHemisphere(h)}
              >
                <ToggleButton value="left">Left</ToggleButton>
                <ToggleButton value="both">Both</ToggleButton>
                <ToggleButton value="right">Right</ToggleButton>
              </ToggleButtonGroup>
              <FormControlLabel
                control={<Switch checked={edgesOn} onChange={(e) => setEdgesOn(e.target.checked)} data-testid="edges-switch" />}
                label="Edges: connectivity difference (patients − controls)"
              />
              {edgesOn && (
                <>
                  <Box>
                    <Typography variant="body2">Among the top {edgeTopK} ROIs</Typography>
                    <Slider
                      size="small"
                      value={edgeTopK}
                      min={2}
                      max={Math.min(100, maps.rois.length)}
                      onChange={(_, v) => setEdgeTopK(v)}
                    />
                  </Box>
                  <ThresholdControl
                    label="Edge threshold"
                    threshold={edgeThreshold}
                    onChange={setEdgeThreshold}
                    max={difference ? Math.max(1e-9, ...difference.values.map(Math.abs)) : 1}
                    testId="edge-threshold"
                  />
                  {differenceError && <Alert severity="error">{differenceError}</Alert>}
                </>
              )}
              <TextField
                select
                size="small"
                label="Compare side by side with"
                value={compareOn ? compareToken : ''}
                disabled={source.kind !== 'group'}
                onChange={(e) => setCompareToken(e.target.value)}
              >
                <MenuItem value="">(nothing)</MenuItem>
                {maps.groupTokens
                  .filter((t) => t.id !== shownToken)
                  .map((t) => (
                    <MenuItem key={t.id} value={t.id}>
                      {t.label}
                    </MenuItem>
                  ))}
              </TextField>
            </Stack>
          </CardContent>
        </Card>
      </Grid>
      <Grid size={{ xs: 12, lg: 5 }}>
        <Stack spacing={1}>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
            <ButtonGroup size="small" variant="outlined" aria-label="Standard views">
              {(['left', 'right', 'top', 'front'] as const).map((v) => (
                <Button key={v} onClick={() => standardView(v)} data-testid={`view-${v}`}>
                  {v}
                </Button>
              ))}
            </ButtonGroup>
            <ButtonGroup size="small" variant="outlined" aria-label="Zoom">
              <Button onClick={() => [view, compareView].forEach((v) => v.current?.zoom(1.25))}>Zoom in</Button>
              <Button onClick={() => [view, compareView].forEach((v) => v.current?.zoom(0.8))}>Zoom out</Button>
              <Button onClick={() => [view, compareView].forEach((v) => v.current?.reset())}>Reset</Button>
            </ButtonGroup>
          </Stack>
          {error && <Alert severity="error">{error}</Alert>}
          <Grid container spacing={1}>
            <Grid size={compareOn ? 6 : 12}>
              <Typography variant="subtitle2" data-testid="shown-map">
                {tokenLabel(shownToken)}
                {source.kind === 'subject'
                  ? `, subject ${maps.subjects.find((s) => s.id === source.subjectId)?.externalId ?? ''}`
                  : ', group map'}
              </Typography>
              <BrainView
                ref={view}
                testId="brain-canvas"
                surface={surface}
                nodes={main?.nodes ?? []}
                edges={main?.drawnEdges ?? []}
                hemisphere={hemisphere}
                highlight={highlight}
                onSelect={setSelected}
                describe={describe(values)}
              />
              {main && <ColourBar map={colourMap} range={main.range} title="Attention (node colour and size)" />}
            </Grid>
            {compareOn && (
              <Grid size={6}>
                <Typography variant="subtitle2">{tokenLabel(compareToken)}, group map</Typography>
                <BrainView
                  ref={compareView}
                  testId="brain-canvas-compare"
                  surface={surface}
                  nodes={side?.nodes ?? []}
                  edges={side?.drawnEdges ?? []}
                  hemisphere={hemisphere}
                  highlight={highlight}
                  onSelect={setSelected}
                  describe={describe(compareValues)}
                />
                {side && <ColourBar map={colourMap} range={side.range} title="Attention" />}
              </Grid>
            )}
          </Grid>
          {compareOn && overlap?.key === overlapKey && (
            <Typography data-testid="map-overlap">
              {overlap.value !== null
                ? `Bhattacharyya overlap of the two maps: ${overlap.value.toFixed(4)} (1 = the same distribution over ROIs)`
                : overlap.error}
            </Typography>
          )}
          {edgesOn && difference && (
            <Typography variant="caption" color="text.secondary" data-testid="edge-count">
              {main?.drawnEdges.length ?? 0} edges drawn (red: patients more connected, blue: less; {difference.patients} patients,{' '}
              {difference.controls} controls)
            </Typography>
          )}
        </Stack>
      </Grid>
      <Grid size={{ xs: 12, lg: 4 }}>
        <Typography variant="subtitle1">Top ROIs</Typography>
        {values && main && <TopRoiTable rois={maps.rois} values={values} ranked={main.ranked} selected={selected} onSelect={setSelected} />}
        {maps.rois.some((roi) => !shownRoi(roi, 'both')) && (
          <Typography variant="caption" color="text.secondary">
            ROIs without MNI coordinates are listed but not drawn.
          </Typography>
        )}
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <Card variant="outlined">
          <CardContent>
            <Typography variant="subtitle1" gutterBottom>
              Reference map
            </Typography>
            {values && <ReferenceMapPanel runId={runId} values={values} mapName={tokenLabel(shownToken)} />}
          </CardContent>
        </Card>
      </Grid>
      <Grid size={{ xs: 12, md: 6 }}>
        <Card variant="outlined">
          <CardContent>
            <Typography variant="subtitle1" gutterBottom>
              Export
            </Typography>
            <ExportPanel
              name={fileStem}
              snapshot={(w, h, bg) => view.current?.snapshot(w, h, bg) ?? null}
              nodes={exportNodes}
              edges={exportEdges}
            />
          </CardContent>
        </Card>
      </Grid>
    </Grid>
  );
}
