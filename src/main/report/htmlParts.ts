import type { RunSummary } from '../../shared/api';
import { escapeHtml as e } from './svgCharts';

/** Pieces the run and comparison reports share. */

/** The reports' print-friendly style sheet: one section per A4 page. */
export const CSS = `
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; color: #222; margin: 0 auto; max-width: 190mm; }
section.page { break-before: page; padding: 4mm 0; }
section.page:first-of-type { break-before: auto; }
h1 { font-size: 18pt; margin: 0 0 4pt; } h2 { font-size: 14pt; border-bottom: 1px solid #999; margin: 0 0 6pt; } h3 { font-size: 11.5pt; margin: 8pt 0 4pt; }
table { border-collapse: collapse; margin: 4pt 0 8pt; font-size: 9.5pt; } th, td { border: 1px solid #ccc; padding: 2pt 5pt; text-align: left; }
th { background: #eef; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: #555; font-size: 9.5pt; } .synthetic { background: #fff4d6; border: 1px solid #d9a400; padding: 4pt 6pt; }
.compact table { font-size: 8.5pt; } .compact th, .compact td { padding: 1pt 4pt; }
.views { display: flex; gap: 10pt; align-items: flex-start; flex-wrap: wrap; } td.nowrap { white-space: nowrap; } figure { margin: 0; } img.figure { width: 58mm; border: 1px solid #ccc; }
@page { size: A4; margin: 14mm; }
`;

export function num(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

/** "mean ± SD", each with num(). */
export function numMeanSd(value: { mean: number | null; sd: number | null } | undefined): string {
  return `${num(value?.mean)} ± ${num(value?.sd)}`;
}

export function table(headers: string[], rows: (string | number)[][], numeric: boolean[] = []): string {
  const head = headers.map((h) => `<th>${e(h)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell, i) => `<td${numeric[i] ? ' class="n"' : ''}>${e(String(cell))}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** The software behind a report, one column per source (the runs that were trained, the build writing it), '–' where one did not record a component. */
export function softwareTable(columns: { label: string; versions: Record<string, string> }[]): string {
  const components = [...new Set(columns.flatMap((column) => Object.keys(column.versions)))];
  return table(
    ['component', ...columns.map((column) => column.label)],
    components.map((component) => [component, ...columns.map((column) => column.versions[component] ?? '–')]),
  );
}

export const METRICS: [keyof RunSummary['metrics'], string][] = [
  ['auc', 'AUC'],
  ['balancedAcc', 'Balanced accuracy'],
  ['acc', 'Accuracy'],
  ['f1', 'F1'],
  ['sensitivity', 'Sensitivity'],
  ['specificity', 'Specificity'],
];

/** A whole report: no scripts, and a policy that lets the file load nothing but its inline styles and data-URI images. */
export function htmlDocument(title: string, sections: string[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${e(title)}</title><style>${CSS}</style></head>
<body>${sections.join('\n')}</body></html>`;
}
