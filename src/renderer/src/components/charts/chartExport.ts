const SVG_NS = 'http://www.w3.org/2000/svg';

/** The presentation properties copied from the page's CSS onto each exported element. */
const INLINED = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'visibility',
  'display',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'letter-spacing',
] as const;

const LEGEND_ROW = 18;
const TITLE_HEIGHT = 24;

export interface LegendEntry {
  label: string;
  color: string;
}

/** The chart's drawing: MUI X's SVG layer, not the small svgs of the legend marks. */
function chartSurface(container: HTMLElement): SVGSVGElement {
  const svg = container.querySelector<SVGSVGElement>('svg.MuiChartsSvgLayer-root');
  if (!svg) throw new Error('This chart has nothing drawn yet to export.');
  return svg;
}

/** The drawing's size on screen, or from its view box where nothing is laid out (e.g. off screen). */
function surfaceSize(surface: SVGSVGElement): { width: number; height: number } {
  const box = surface.getBoundingClientRect();
  if (box.width > 0 && box.height > 0) return { width: Math.round(box.width), height: Math.round(box.height) };
  const [, , width = 0, height = 0] = (surface.getAttribute('viewBox') ?? '').split(/[\s,]+/).map(Number);
  return { width: Math.round(width), height: Math.round(height) };
}

/** The legend MUI X draws in HTML next to the chart: each series' label and colour. */
export function legendEntries(container: HTMLElement): LegendEntry[] {
  return [...container.querySelectorAll<HTMLElement>('.MuiChartsLegend-series')].map((item) => {
    const mark = item.querySelector('.MuiChartsLegend-mark svg *');
    const fill = mark?.getAttribute('fill');
    const color = fill && fill !== 'none' ? fill : (mark?.getAttribute('stroke') ?? '#000');
    return { label: item.querySelector('.MuiChartsLegend-label')?.textContent?.trim() ?? item.textContent?.trim() ?? '', color };
  });
}

function inlineStyles(source: Element, target: Element): void {
  const computed = getComputedStyle(source);
  const style = INLINED.map((property) => [property, computed.getPropertyValue(property)] as const)
    .filter(([, value]) => value !== '')
    .map(([property, value]) => `${property}:${value}`)
    .join(';');
  if (style) target.setAttribute('style', style);
  for (let i = 0; i < source.children.length; i += 1) inlineStyles(source.children[i]!, target.children[i]!);
}

function svgElement<K extends keyof SVGElementTagNameMap>(name: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

/**
 * A standalone SVG document of a chart drawn in `container`: the chart's styles inlined (so it
 * looks the same outside the app), a white background, the title above and the legend below.
 */
export function chartToSvg(container: HTMLElement, title: string): { svg: string; width: number; height: number } {
  const surface = chartSurface(container);
  const { width, height: chartHeight } = surfaceSize(surface);
  if (!(width > 0 && chartHeight > 0)) throw new Error('This chart has no size yet; show it on screen, then export it.');
  const legend = legendEntries(container);
  const height = TITLE_HEIGHT + chartHeight + legend.length * LEGEND_ROW + (legend.length ? 8 : 0);

  const chart = surface.cloneNode(true) as SVGSVGElement;
  inlineStyles(surface, chart);
  chart.setAttribute('x', '0');
  chart.setAttribute('y', String(TITLE_HEIGHT));
  chart.setAttribute('width', String(width));
  chart.setAttribute('height', String(chartHeight));
  if (!chart.getAttribute('viewBox')) chart.setAttribute('viewBox', `0 0 ${width} ${chartHeight}`);

  const root = svgElement('svg', { xmlns: SVG_NS, width, height, viewBox: `0 0 ${width} ${height}` });
  root.appendChild(svgElement('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }));
  const heading = svgElement('text', {
    x: 8,
    y: 17,
    'font-family': 'Roboto, Helvetica, Arial, sans-serif',
    'font-size': 14,
    'font-weight': 500,
  });
  heading.textContent = title;
  root.appendChild(heading);
  root.appendChild(chart);
  legend.forEach((entry, k) => {
    const y = TITLE_HEIGHT + chartHeight + 4 + k * LEGEND_ROW;
    root.appendChild(svgElement('rect', { x: 8, y: y + 3, width: 12, height: 12, fill: entry.color }));
    const label = svgElement('text', { x: 26, y: y + 13, 'font-family': 'Roboto, Helvetica, Arial, sans-serif', 'font-size': 12 });
    label.textContent = entry.label;
    root.appendChild(label);
  });
  return { svg: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}`, width, height };
}

/** Rasterises an SVG document to a PNG at `scale` times its size (2: sharp on print and high-DPI screens). */
export async function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This window cannot draw images (no 2-D canvas), so the PNG cannot be made; export the SVG instead.');
  context.scale(scale, scale);
  context.drawImage(image, 0, 0, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The PNG could not be encoded.'))), 'image/png'),
  );
}
