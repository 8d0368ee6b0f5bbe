import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import { REPO_ROOT, runCli, startServing, type Served } from './support/cli';

interface PixelStats {
  width: number;
  height: number;
  /** Pixels that differ from the background but are unsaturated: the glass surface and grey nodes. */
  glass: number;
  /** Strongly coloured pixels: the ROI spheres. */
  coloured: number;
  /** The centre of the most saturated pixel cluster's first pixel, in element coordinates. */
  colouredAt: { x: number; y: number } | null;
}

/** Decodes element screenshots in the page (a 2-D canvas reads PNGs) and measures them. */
async function pixelStats(page: Page, png: Buffer): Promise<PixelStats> {
  return page.evaluate(async (b64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${b64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [image.width, image.height];
    const g = canvas.getContext('2d')!;
    g.drawImage(image, 0, 0);
    const data = g.getImageData(0, 0, canvas.width, canvas.height).data;
    const bg = [data[0]!, data[1]!, data[2]!];
    let glass = 0;
    let coloured = 0;
    let colouredAt: { x: number; y: number } | null = null;
    for (let i = 0; i < data.length; i += 4) {
      const [r, gr, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
      const max = Math.max(r, gr, b);
      const saturation = max === 0 ? 0 : (max - Math.min(r, gr, b)) / max;
      const distance = Math.abs(r - bg[0]!) + Math.abs(gr - bg[1]!) + Math.abs(b - bg[2]!);
      if (distance < 12) continue;
      if (saturation > 0.45) {
        coloured += 1;
        colouredAt ??= { x: (i / 4) % canvas.width, y: Math.floor(i / 4 / canvas.width) };
      } else glass += 1;
    }
    return { width: canvas.width, height: canvas.height, glass, coloured, colouredAt };
  }, png.toString('base64'));
}

/** The share of pixels that differ between two same-size screenshots. */
async function changedShare(page: Page, a: Buffer, b: Buffer): Promise<number> {
  return page.evaluate(
    async ([first, second]) => {
      const read = async (b64: string): Promise<Uint8ClampedArray> => {
        const image = new Image();
        image.src = `data:image/png;base64,${b64}`;
        await image.decode();
        const canvas = document.createElement('canvas');
        [canvas.width, canvas.height] = [image.width, image.height];
        const g = canvas.getContext('2d')!;
        g.drawImage(image, 0, 0);
        return g.getImageData(0, 0, canvas.width, canvas.height).data;
      };
      const [x, y] = [await read(first!), await read(second!)];
      let changed = 0;
      for (let i = 0; i < x.length; i += 4) {
        if (Math.abs(x[i]! - y[i]!) + Math.abs(x[i + 1]! - y[i + 1]!) + Math.abs(x[i + 2]! - y[i + 2]!) > 30) changed += 1;
      }
      return changed / (x.length / 4);
    },
    [a.toString('base64'), b.toString('base64')],
  );
}

/** The RGBA of a PNG's top-left pixel. */
async function cornerPixel(page: Page, png: Buffer): Promise<number[]> {
  return page.evaluate(async (b64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${b64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [image.width, image.height];
    const g = canvas.getContext('2d')!;
    g.drawImage(image, 0, 0);
    return Array.from(g.getImageData(0, 0, 1, 1).data);
  }, png.toString('base64'));
}

async function chooseOption(page: Page, select: Locator, option: string): Promise<void> {
  await select.click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe('the brain view in the browser (software WebGL)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'neurolip-e2e-brain-'));
  const project = join(folder, 'brain.neurolip');
  let served: Served;
  let browser: Browser;
  let page: Page;
  let groupMaps: Record<string, number[]>;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    expect(runCli(['demo', '--project', project, '--subjects', '60', '--json']).code).toBe(0);
    const trained = runCli(
      ['train', '--project', project, '--cohort', '1', '--variant', 'neurolip', '--epochs', '2', '--json'],
      {},
      300_000,
    );
    expect(trained.code, trained.stderr).toBe(0);
    const db = new Database(project, { readonly: true });
    const summary = db.prepare("SELECT detail FROM metrics WHERE run_id = 1 AND scope = 'run' AND name = 'summary'").get() as {
      detail: string;
    };
    db.close();
    const maps = (JSON.parse(summary.detail) as { maps: { groups: Record<string, number[]>; contrast: number[] } }).maps;
    groupMaps = { ...maps.groups, contrast: maps.contrast };
    served = await startServing('serve', ['--project', project]);
    browser = await launchChromium({ webgl: true });
    page = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(served.url.replace(/#.*$/, '') + '#/brain');
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('draws the glass brain with coloured ROI nodes, and redraws when the token changes', async () => {
    const canvas = page.getByTestId('brain-canvas');
    await expect.poll(() => page.getByTestId('top-roi-table').locator('tbody tr').count(), { timeout: 30_000 }).toBe(15);
    await expect.poll(async () => (await pixelStats(page, await canvas.screenshot())).glass, { timeout: 30_000 }).toBeGreaterThan(20_000);
    const before = await canvas.screenshot();
    const stats = await pixelStats(page, before);
    console.log(`brain canvas ${stats.width} x ${stats.height}: ${stats.glass} glass pixels, ${stats.coloured} coloured node pixels`);
    expect(stats.coloured).toBeGreaterThan(500);
    await page.screenshot({ path: join(REPO_ROOT, 'docs', 'brain-view.png') });

    // The table ranks the shown map (the patient token's group map) as the API stores it.
    const shownToken = 'dx:autism';
    expect(await page.getByTestId('shown-map').textContent()).toBe('Diagnosis: autism, group map');
    const map = groupMaps[shownToken]!;
    const best = map.indexOf(Math.max(...map));
    const firstRow = page.getByTestId('top-roi-table').locator('tbody tr').first();
    expect(await firstRow.getAttribute('data-roi')).toBe(String(best));

    await chooseOption(page, page.getByTestId('token-select'), 'sex: female');
    await expect.poll(() => page.getByTestId('shown-map').textContent()).toBe('sex: female, group map');
    await expect.poll(async () => changedShare(page, before, await canvas.screenshot()), { timeout: 10_000 }).toBeGreaterThan(0.002);
    const share = await changedShare(page, before, await canvas.screenshot());
    console.log(`pixels changed by switching the token: ${(share * 100).toFixed(2)} %`);
  });

  it('names the ROI under the pointer, and links the brain and the table both ways', async () => {
    const canvas = page.getByTestId('brain-canvas');
    const stats = await pixelStats(page, await canvas.screenshot());
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + stats.colouredAt!.x + 2, box.y + stats.colouredAt!.y + 2);
    await expect.poll(() => page.getByTestId('brain-tooltip').count()).toBe(1);
    const tooltip = await page.getByTestId('brain-tooltip').textContent();
    expect(tooltip).toMatch(/^\S+MNI -?\d+\.\d, -?\d+\.\d, -?\d+\.\d\nvalue \d\.\d{3}/);
    // Clicking the node selects its row in the table.
    await page.mouse.click(box.x + stats.colouredAt!.x + 2, box.y + stats.colouredAt!.y + 2);
    const selectedRow = page.getByTestId('top-roi-table').locator('tbody tr.Mui-selected');
    await expect.poll(() => selectedRow.count()).toBe(1);
    expect(tooltip).toContain((await selectedRow.locator('td').nth(1).textContent())!);
    // Clicking another row moves the highlight shell in the brain.
    const before = await canvas.screenshot();
    const other = page.getByTestId('top-roi-table').locator('tbody tr:not(.Mui-selected)').first();
    const roi = await other.getAttribute('data-roi');
    await other.click();
    await expect
      .poll(() => page.getByTestId('top-roi-table').locator(`tbody tr[data-roi="${roi}"]`).getAttribute('class'))
      .toContain('Mui-selected');
    await expect.poll(async () => changedShare(page, before, await canvas.screenshot())).toBeGreaterThan(0);
  });

  it("shows one subject's out-of-fold map", async () => {
    const canvas = page.getByTestId('brain-canvas');
    const groupView = await canvas.screenshot();
    await page.getByTestId('source-subject').click();
    const db = new Database(project, { readonly: true });
    const subject = db
      .prepare(
        "SELECT s.external_id AS externalId, m.weights FROM attention_maps m JOIN subjects s ON s.id = m.subject_id WHERE m.run_id = 1 AND m.token = 'dx:autism' ORDER BY s.external_id LIMIT 1",
      )
      .get() as { externalId: string; weights: Buffer };
    db.close();
    await expect.poll(() => page.getByTestId('shown-map').textContent()).toBe(`Diagnosis: autism, subject ${subject.externalId}`);
    const weights = new Float32Array(
      subject.weights.buffer.slice(subject.weights.byteOffset, subject.weights.byteOffset + subject.weights.byteLength),
    );
    const best = weights.indexOf(Math.max(...weights));
    await expect.poll(() => page.getByTestId('top-roi-table').locator('tbody tr').first().getAttribute('data-roi')).toBe(String(best));
    await expect.poll(async () => changedShare(page, groupView, await canvas.screenshot())).toBeGreaterThan(0.002);
    await page.getByTestId('source-group').click();
    await expect.poll(() => page.getByTestId('shown-map').textContent()).toMatch(/, group map$/);
  });

  it('compares two tokens side by side with their overlap', async () => {
    await chooseOption(page, page.getByTestId('token-select'), 'Diagnosis: autism');
    await chooseOption(page, page.getByLabel('Compare side by side with'), 'sex: female');
    await expect
      .poll(() => page.getByTestId('map-overlap').textContent())
      .toMatch(/^Bhattacharyya overlap of the two maps: (0\.\d{4}|1\.0000) \(1 = the same distribution over ROIs\)$/);
    await expect
      .poll(async () => (await pixelStats(page, await page.getByTestId('brain-canvas-compare').screenshot())).coloured)
      .toBeGreaterThan(200);
    await chooseOption(page, page.getByLabel('Compare side by side with'), '(nothing)');
  });

  it('correlates a reference map with the shown map, and refuses a bad one naming the file and line', async () => {
    const reference = join(folder, 'reference.csv');
    writeFileSync(reference, `value\n${groupMaps['dx:autism']!.join('\n')}\n`);
    await page.getByTestId('reference-path').fill(reference);
    await page.getByTestId('load-reference').click();
    await expect
      .poll(() => page.getByTestId('reference-correlation').textContent())
      .toBe('Spearman ρ between Diagnosis: autism and reference.csv: 1.000, permutation p = 0.00020 (5000 permutations, seed 0)');
    const bad = join(folder, 'bad.csv');
    writeFileSync(bad, `value\n${groupMaps['dx:autism']!.map((v, i) => (i === 4 ? 'NaN' : v)).join('\n')}\n`);
    await page.getByTestId('reference-path').fill(bad);
    await page.getByTestId('load-reference').click();
    await expect
      .poll(() => page.getByTestId('reference-error').textContent())
      .toBe('bad.csv, line 6, column value: "NaN" is not a finite number');
  });

  it('draws edges, cuts to one hemisphere, turns to standard views, and loads a GIfTI surface', async () => {
    const canvas = page.getByTestId('brain-canvas');
    const plain = await canvas.screenshot();
    await page.getByTestId('edges-switch').click();
    await expect.poll(() => page.getByTestId('edge-count').textContent(), { timeout: 10_000 }).toMatch(/^[1-9]\d* edges drawn/);
    await expect.poll(async () => changedShare(page, plain, await canvas.screenshot())).toBeGreaterThan(0.001);

    const both = await pixelStats(page, await canvas.screenshot());
    await page.getByRole('button', { name: 'Left', exact: true }).click();
    await expect.poll(async () => (await pixelStats(page, await canvas.screenshot())).coloured).toBeLessThan(both.coloured * 0.8);
    await page.getByRole('button', { name: 'Both', exact: true }).click();

    const side = await canvas.screenshot();
    await page.getByTestId('view-top').click();
    await expect.poll(async () => changedShare(page, side, await canvas.screenshot())).toBeGreaterThan(0.05);
    await page.getByTestId('view-left').click();

    const own = join(REPO_ROOT, 'node_modules', 'gifti-reader-js', 'tests', 'data', 'ascii.surf.gii');
    await page.getByTestId('surface-path').fill(own);
    await page.getByTestId('load-surface').click();
    await expect.poll(() => page.getByText(`Showing ${own} (5124 vertices)`).count()).toBe(1);
    await page.getByTestId('default-surface').click();
  });

  it('exports a PNG at the chosen size and BrainNet Viewer files', async () => {
    await page.getByTestId('png-width').fill('800');
    await page.getByTestId('png-height').fill('600');
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
    expect(png.suggestedFilename()).toBe('run-1-dx-autism.png');
    const bytes = readFileSync((await png.path())!);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([800, 600]);
    expect(await cornerPixel(page, bytes)).toEqual([255, 255, 255, 255]);
    const exported = await pixelStats(page, bytes);
    expect(exported.coloured).toBeGreaterThan(200);

    const [node] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-node').click()]);
    const lines = readFileSync((await node.path())!, 'utf8')
      .trim()
      .split('\n');
    // Threshold at the 50th percentile with nodes below it shown: every ROI of the atlas is drawn.
    expect(lines).toHaveLength(116);
    expect(lines[0]).toMatch(/^-?\d+(\.\d+)?\t-?\d+(\.\d+)?\t-?\d+(\.\d+)?\t[\d.e-]+\t[\d.e-]+\tPrecentral_L$/);
    const drawn = Number(/^(\d+) edges drawn/.exec((await page.getByTestId('edge-count').textContent())!)![1]);
    const [edge] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-edge').click()]);
    const matrix = readFileSync((await edge.path())!, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split('\t').map(Number));
    expect(matrix).toHaveLength(116);
    expect(matrix.flat().filter((v) => v !== 0)).toHaveLength(2 * drawn);
    expect(matrix.every((row, i) => row.every((v, j) => v === matrix[j]![i]))).toBe(true);

    await page.getByLabel('Background').click();
    await page.getByRole('option', { name: 'Transparent' }).click();
    const [clear] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
    const corner = await cornerPixel(page, readFileSync((await clear.path())!));
    expect(corner[3]).toBe(0);
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
