// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { LineChart } from '@mui/x-charts/LineChart';
import { afterEach, describe, expect, it } from 'vitest';
import { chartToSvg, legendEntries } from './chartExport';

afterEach(cleanup);

describe('chart export', () => {
  it('serialises a drawn chart as standalone SVG: styles inlined, title above, legend below', () => {
    const { container } = render(
      <LineChart
        width={400}
        height={200}
        xAxis={[{ data: [1, 2, 3] }]}
        series={[
          { data: [0.5, 0.6, 0.7], label: 'fold 1', color: '#ff0000' },
          { data: [0.4, 0.5, 0.8], label: 'fold 2', color: '#0000ff' },
        ]}
      />,
    );
    expect(legendEntries(container)).toEqual([
      { label: 'fold 1', color: '#ff0000' },
      { label: 'fold 2', color: '#0000ff' },
    ]);
    const exported = chartToSvg(container, 'Validation AUC');
    expect(exported.svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    // Title row 24 px, the chart's 200 px, then 8 px and 18 px per legend row.
    expect([exported.width, exported.height]).toEqual([400, 24 + 200 + 8 + 2 * 18]);
    const doc = new DOMParser().parseFromString(exported.svg, 'image/svg+xml');
    const root = doc.documentElement;
    expect(root.getAttribute('viewBox')).toBe('0 0 400 268');
    expect([...root.children].map((c) => c.tagName.toLowerCase()).slice(0, 3)).toEqual(['rect', 'text', 'svg']);
    expect(root.children[1]!.textContent).toBe('Validation AUC');
    const lines = [...doc.querySelectorAll('path.MuiLineChart-line')];
    expect(lines.map((line) => line.getAttribute('stroke'))).toEqual(['#ff0000', '#0000ff']);
    expect(lines.every((line) => /font-family:/.test(line.getAttribute('style') ?? ''))).toBe(true);
    const legend = [...root.children].slice(3);
    expect(legend.map((e) => [e.tagName.toLowerCase(), e.getAttribute('fill') ?? e.textContent])).toEqual([
      ['rect', '#ff0000'],
      ['text', 'fold 1'],
      ['rect', '#0000ff'],
      ['text', 'fold 2'],
    ]);
  });

  it('says so when there is no chart to export', () => {
    expect(() => chartToSvg(document.createElement('div'), 'Empty')).toThrow('This chart has nothing drawn yet to export.');
  });
});
