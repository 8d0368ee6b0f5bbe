// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { chartToSvg, legendEntries } from '../charts/chartExport';
import { DisparityScatter } from './DisparityScatter';
import { GroupBars } from './GroupBars';

afterEach(cleanup);

const heights = (container: Element) =>
  [...container.querySelectorAll('rect.MuiBarChart-element')].map((bar) => Number(bar.getAttribute('height')));

describe('fairness charts with fixed data', () => {
  it('draws one bar per group, proportional to its value, flags small groups, and marks the overall value', () => {
    const { container } = render(
      <GroupBars
        name="run-1-sex-tpr"
        title="True-positive rate per group"
        label="True-positive rate"
        overall={0.5}
        width={500}
        groups={[
          { group: 'female', value: 0.4, small: false },
          { group: 'male', value: 0.8, small: false },
          { group: 'other', value: 0.2, small: true },
        ]}
      />,
    );
    const [female, male, other] = heights(container);
    expect(female).toBeGreaterThan(0);
    expect(male! / female!).toBeCloseTo(2, 6);
    expect(other! / female!).toBeCloseTo(0.5, 6);
    expect([...container.querySelectorAll('.MuiChartsAxis-directionX .MuiChartsAxis-tickLabel')].map((t) => t.textContent)).toEqual([
      'female',
      'male',
      'other *',
    ]);
    expect(container.querySelector('.MuiChartsReferenceLine-root')!.textContent).toBe('overall');
    expect(legendEntries(container).map((e) => e.label)).toEqual(['True-positive rate']);
    expect(container.querySelector('[data-testid="export-run-1-sex-tpr-png"]')).not.toBeNull();
    expect(chartToSvg(container, 'True-positive rate per group').svg.match(/class="MuiBarChart-element"/g)).toHaveLength(3);
  });

  it('places one point per run on the AUC-against-disparity scatter, each named in the legend', () => {
    const { container } = render(
      <DisparityScatter
        name="runs-auc-dEOdds-sex"
        title="AUC against dEOdds (sex)"
        gapLabel="dEOdds"
        width={500}
        points={[
          { id: 1, gap: 0.1, auc: 0.8, label: '1. neurolip' },
          { id: 2, gap: 0.3, auc: 0.7, label: '2. neurolip-nofair' },
        ]}
      />,
    );
    expect(legendEntries(container).map((e) => e.label)).toEqual(['1. neurolip', '2. neurolip-nofair']);
    const markers = [...container.querySelectorAll('circle.MuiScatterChart-marker')].map((marker) =>
      (marker.getAttribute('transform') ?? '')
        .match(/translate\(([\d.]+), ([\d.]+)\)/)!
        .slice(1)
        .map(Number),
    );
    expect(markers).toHaveLength(2);
    const [[x1, y1], [x2, y2]] = markers as [[number, number], [number, number]];
    expect(x2).toBeGreaterThan(x1); // the second run's gap is larger
    expect(y2).toBeGreaterThan(y1); // and its AUC lower (further down)
    const axisLabels = [...container.querySelectorAll('.MuiChartsAxis-label')].map((t) => t.textContent);
    expect(axisLabels).toEqual(expect.arrayContaining(['dEOdds', 'AUC']));
  });
});
