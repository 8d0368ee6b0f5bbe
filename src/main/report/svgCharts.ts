/** Small charts as inline SVG strings for the self-contained report (no scripts, no external references). */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface Bar {
  label: string;
  value: number | null;
  ciLow?: number | null;
  ciHigh?: number | null;
}

/** Horizontal bars on a 0..1 axis with optional CI whiskers; null values are drawn as "n/a". */
export function barChart(title: string, bars: Bar[], width = 640): string {
  const row = 22;
  const left = Math.min(190, Math.round(width * 0.3));
  const plot = width - left - 60;
  const height = 30 + bars.length * row + 24;
  const x = (v: number): number => left + Math.max(0, Math.min(1, v)) * plot;
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (t) =>
        `<line x1="${x(t)}" y1="24" x2="${x(t)}" y2="${height - 20}" stroke="#ddd"/><text x="${x(t)}" y="${height - 6}" font-size="10" text-anchor="middle">${t}</text>`,
    )
    .join('');
  const rows = bars
    .map((bar, i) => {
      const y = 30 + i * row;
      const label = `<text x="${left - 6}" y="${y + 13}" font-size="11" text-anchor="end">${escapeHtml(bar.label)}</text>`;
      if (bar.value === null) return `${label}<text x="${left + 4}" y="${y + 13}" font-size="11" fill="#888">n/a</text>`;
      const whisker =
        bar.ciLow != null && bar.ciHigh != null
          ? `<line x1="${x(bar.ciLow)}" y1="${y + 9}" x2="${x(bar.ciHigh)}" y2="${y + 9}" stroke="#222" stroke-width="1.5"/>`
          : '';
      return `${label}<rect x="${left}" y="${y + 2}" width="${x(bar.value) - left}" height="14" fill="#3f6fb5"/>${whisker}<text x="${x(bar.value) + 4}" y="${y + 13}" font-size="10">${bar.value.toFixed(3)}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}"><text x="0" y="14" font-size="12" font-weight="bold">${escapeHtml(title)}</text>${ticks}${rows}</svg>`;
}

export interface BrainPoint {
  label: string;
  x: number;
  y: number;
  z: number;
  value: number;
}

/** MNI extents (mm) of the standard views: [horizontal axis, vertical axis] for each. */
const VIEWS = {
  axial: { axes: ['x', 'y'] as const, range: [-95, 95, -130, 95] as const },
  sagittal: { axes: ['y', 'z'] as const, range: [-130, 95, -75, 110] as const },
  coronal: { axes: ['x', 'z'] as const, range: [-95, 95, -75, 110] as const },
};
export type BrainViewName = keyof typeof VIEWS;

/** A sequential colour from pale yellow (0) to dark red (1). */
function heat(t: number): string {
  const c = Math.max(0, Math.min(1, t));
  return `rgb(${Math.round(255 - 80 * c)},${Math.round(230 - 210 * c)},${Math.round(140 - 120 * c)})`;
}

/**
 * A glass-brain projection of ROI centroids (MNI mm) onto one standard view: every ROI a dot, the
 * top `highlight` ROIs by value drawn larger and coloured by value; left is the subject's left.
 */
export function brainProjection(view: BrainViewName, points: BrainPoint[], highlight: number, size = 220): string {
  const { axes, range } = VIEWS[view];
  const [h0, h1, v0, v1] = range;
  const scale = size / Math.max(h1 - h0, v1 - v0);
  const px = (h: number): number => (h - h0) * scale + 5;
  const py = (v: number): number => (v1 - v) * scale + 5;
  const max = Math.max(...points.map((p) => p.value), Number.MIN_VALUE);
  const ranked = [...points].sort((a, b) => b.value - a.value);
  const top = new Set(ranked.slice(0, highlight));
  const dots = [...points]
    .sort((a, b) => a.value - b.value)
    .map((p) => {
      const on = top.has(p);
      return `<circle cx="${px(p[axes[0]]).toFixed(1)}" cy="${py(p[axes[1]]).toFixed(1)}" r="${on ? 5 : 2.2}" fill="${on ? heat(p.value / max) : '#bbb'}" stroke="${on ? '#600' : 'none'}" stroke-width="0.6"><title>${escapeHtml(p.label)}: ${p.value.toPrecision(3)}</title></circle>`;
    })
    .join('');
  const w = (h1 - h0) * scale + 10;
  const hgt = (v1 - v0) * scale + 10;
  const outline = `<ellipse cx="${w / 2}" cy="${hgt / 2}" rx="${w / 2 - 4}" ry="${hgt / 2 - 4}" fill="#f6f6f6" stroke="#999"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w.toFixed(0)}" height="${(hgt + 16).toFixed(0)}" role="img" aria-label="${view} view">${outline}${dots}<text x="${w / 2}" y="${hgt + 13}" font-size="11" text-anchor="middle">${view}</text></svg>`;
}
