import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readGiftiSurface } from '../brain/giftiSurface';
import { resolveStaticPath, sendFile } from '../server/staticFiles';
import { OFFLINE_CHROMIUM_ARGS, SOFTWARE_WEBGL_ARG } from '../chromiumArgs';
import type { RenderMeasurement } from '../../shared/renderBench';

export interface RenderBenchOptions {
  /** The built renderer folder (out/renderer), which holds bench.html. */
  rendererDir: string;
  rois: number;
  edges: number;
  /** Seconds of frames per measurement. */
  seconds: number;
  /** Rounds: each measures both scenes, one after the other (which goes first alternates). */
  rounds: number;
  chromium: string;
}

/**
 * Chromium as the e2e tests launch it (e2e/support/chromium.ts), plus SwiftShader for WebGL and no
 * frame-rate cap, so frames per second measure rendering rather than the display's refresh rate.
 */
const CHROMIUM_ARGS = [...OFFLINE_CHROMIUM_ARGS, SOFTWARE_WEBGL_ARG, '--disable-gpu-vsync', '--disable-frame-rate-limit'];

function serve(root: string): Promise<Server> {
  const server = createServer((request, response) => {
    const file = resolveStaticPath(root, new URL(request.url ?? '/', 'http://localhost').pathname);
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    sendFile(response, file, request.method === 'HEAD');
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

/** Seconds each scene is drawn, unmeasured, before the rounds (shader and SwiftShader routine compiling). */
const WARM_UP_SECONDS = 1;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Frames per second of the brain view (the default surface, `rois` sphere impostors, `edges` line
 * segments) against a bare three.js scene with the same surface mesh, in one headless chromium
 * (software WebGL). After an unmeasured warm-up of each scene, each round measures both scenes back
 * to back (alternating which goes first, so that a drift in machine load does not favour one), and
 * gives one ratio; the result is the median of the rounds' ratios, with every round printed.
 */
export async function runRenderBench(options: RenderBenchOptions): Promise<string> {
  // A development dependency, loaded from node_modules at run time rather than bundled into the CLI.
  const playwright = 'playwright-core';
  const { chromium } = (await import(/* @vite-ignore */ playwright)) as typeof import('playwright-core');
  const surface = readGiftiSurface();
  const server = await serve(options.rendererDir);
  const browser = await chromium.launch({ executablePath: options.chromium, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/bench.html`);
    await page.waitForFunction(() => 'renderBench' in window);
    const data = { vertices: surface.vertices, triangles: surface.triangles };
    const brain = (seconds: number): Promise<RenderMeasurement> =>
      page.evaluate(([s, r, e, t]) => window.renderBench.brainView(s, r, e, t), [data, options.rois, options.edges, seconds] as const);
    const bare = (seconds: number): Promise<RenderMeasurement> =>
      page.evaluate(([s, t]) => window.renderBench.bareScene(s, t), [data, seconds] as const);
    await brain(WARM_UP_SECONDS);
    await bare(WARM_UP_SECONDS);
    const rounds: { brain: RenderMeasurement; bare: RenderMeasurement; ratio: number }[] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      const pair =
        round % 2 === 0
          ? { brain: await brain(options.seconds), bare: await bare(options.seconds) }
          : { bare: await bare(options.seconds), brain: await brain(options.seconds) };
      rounds.push({ ...pair, ratio: pair.brain.fps / pair.bare.fps });
    }
    if (errors.length > 0) throw new Error(`the benchmark page failed: ${errors.join('; ')}`);
    const ratio = median(rounds.map((r) => r.ratio));
    const [first] = rounds;
    const scene = (name: string, pick: (r: (typeof rounds)[number]) => RenderMeasurement): string => {
      const m = rounds.map(pick);
      const frames = m.reduce((sum, x) => sum + x.frames, 0);
      return `${name.padEnd(44)} median ${median(m.map((x) => x.fps)).toFixed(2)} fps  (${frames} frames in all; ${m[0]!.drawCalls} draw calls per frame; GPU geometries ${m[0]!.geometries[0]} -> ${m[m.length - 1]!.geometries[1]})`;
    };
    const ratios = rounds.map((r) => r.ratio);
    return [
      `WebGL: ${first!.brain.renderer}; canvas 800 x 600, pixel ratio 1, antialias`,
      `${options.rounds} rounds of ${options.seconds} s per scene, after a ${WARM_UP_SECONDS} s warm-up of each`,
      `surface: ${surface.source} (${surface.vertices.length / 3} vertices, ${surface.triangles.length / 3} triangles)`,
      '',
      scene(`brain view (${options.rois} ROIs, ${options.edges} edges)`, (r) => r.brain),
      scene('bare three.js scene (same surface mesh only)', (r) => r.bare),
      '',
      'round  brain fps  bare fps  ratio',
      ...rounds.map(
        (r, i) =>
          `${String(i + 1).padStart(5)}  ${r.brain.fps.toFixed(2).padStart(9)}  ${r.bare.fps.toFixed(2).padStart(8)}  ${r.ratio.toFixed(3)}`,
      ),
      '',
      `ratio: median ${ratio.toFixed(2)} of the bare scene's frame rate over ${options.rounds} rounds (lowest ${Math.min(...ratios).toFixed(2)}, highest ${Math.max(...ratios).toFixed(2)}); goal: at least 0.80, ${ratio >= 0.8 ? 'met' : 'NOT met'}`,
    ].join('\n');
  } finally {
    await browser.close();
    server.close();
  }
}
