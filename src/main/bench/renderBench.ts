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
  /** Seconds of frames per measurement; each scene is measured twice, alternating. */
  seconds: number;
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

/**
 * Frames per second of the brain view (the default surface, `rois` instanced spheres, `edges` line
 * segments) against a bare three.js scene with the same surface mesh, in one headless chromium
 * (software WebGL), measured alternately twice each; the best of each pair is reported.
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
    const brain = (): Promise<RenderMeasurement> =>
      page.evaluate(([s, r, e, t]) => window.renderBench.brainView(s, r, e, t), [
        data,
        options.rois,
        options.edges,
        options.seconds,
      ] as const);
    const bare = (): Promise<RenderMeasurement> =>
      page.evaluate(([s, t]) => window.renderBench.bareScene(s, t), [data, options.seconds] as const);
    const rounds: { brain: RenderMeasurement; bare: RenderMeasurement }[] = [];
    for (let round = 0; round < 2; round += 1) rounds.push({ brain: await brain(), bare: await bare() });
    if (errors.length > 0) throw new Error(`the benchmark page failed: ${errors.join('; ')}`);
    const best = (pick: (r: (typeof rounds)[number]) => RenderMeasurement): RenderMeasurement =>
      rounds.map(pick).reduce((a, b) => (b.fps > a.fps ? b : a));
    const [ours, baseline] = [best((r) => r.brain), best((r) => r.bare)];
    const ratio = ours.fps / baseline.fps;
    const line = (name: string, m: RenderMeasurement, each: string): string =>
      `${name.padEnd(44)} ${m.fps.toFixed(1).padStart(6)} fps  (${m.frames} frames in ${m.seconds.toFixed(1)} s; ${m.drawCalls} draw calls per frame; GPU geometries ${m.geometries[0]} -> ${m.geometries[1]})  rounds: ${each}`;
    return [
      `WebGL: ${ours.renderer}; canvas 800 x 600, pixel ratio 1, antialias; ${options.seconds} s per measurement, scenes alternated twice`,
      `surface: ${surface.source} (${surface.vertices.length / 3} vertices, ${surface.triangles.length / 3} triangles)`,
      '',
      line(
        `brain view (${options.rois} ROIs instanced, ${options.edges} edges)`,
        ours,
        rounds.map((r) => r.brain.fps.toFixed(1)).join(', '),
      ),
      line('bare three.js scene (same surface mesh only)', baseline, rounds.map((r) => r.bare.fps.toFixed(1)).join(', ')),
      '',
      `ratio: ${ratio.toFixed(2)} of the bare scene's frame rate (goal: at least 0.80) ${ratio >= 0.8 ? 'met' : 'NOT met'}`,
    ].join('\n');
  } finally {
    await browser.close();
    server.close();
  }
}
