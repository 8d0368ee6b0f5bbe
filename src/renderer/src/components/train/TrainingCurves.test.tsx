// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { legendEntries } from '../charts/chartExport';
import { TrainingCurves } from './TrainingCurves';

afterEach(cleanup);

const terms = (loss: number) => ({ loss, L_dx: loss / 2, L_sex: 0.69, L_site: 1.1, L_dis: 0.05, gate_sex: 1, gate_site: 0 });

describe('TrainingCurves with fixed epochs', () => {
  it('draws every loss term, the reversal gates and validation AUC per fold, each exportable', () => {
    const { getByTestId } = render(
      <TrainingCurves
        name="run-4"
        points={[
          { fold: 0, epoch: 0, seconds: 1, valAuc: 0.6, terms: terms(2) },
          { fold: 0, epoch: 1, seconds: 1, valAuc: 0.7, terms: terms(1.5) },
          { fold: 1, epoch: 0, seconds: 1, valAuc: 0.55, terms: terms(2.2) },
        ]}
      />,
    );
    expect(legendEntries(getByTestId('chart-run-4-loss-terms')).map((e) => e.label)).toEqual([
      'total loss',
      'L_dx',
      'L_sex',
      'L_site',
      'L_dis',
    ]);
    expect(legendEntries(getByTestId('chart-run-4-validation-auc')).map((e) => e.label)).toEqual(['fold 1', 'fold 2']);
    expect(legendEntries(getByTestId('chart-run-4-gates')).map((e) => e.label)).toEqual(['sex', 'site']);
    expect(getByTestId('chart-run-4-loss-terms').querySelectorAll('path.MuiLineChart-line')).toHaveLength(5);
    expect(getByTestId('export-run-4-loss-terms-svg').textContent).toBe('SVG');
  });

  it('draws nothing before the first epoch, and no gate chart for a run without reversal', () => {
    expect(render(<TrainingCurves name="run-5" points={[]} />).container.innerHTML).toBe('');
    cleanup();
    const { queryByTestId } = render(
      <TrainingCurves name="run-6" points={[{ fold: 0, epoch: 0, seconds: 1, valAuc: null, terms: { loss: 1, L_dx: 1 } }]} />,
    );
    expect(queryByTestId('chart-run-6-loss-terms')).not.toBeNull();
    expect(queryByTestId('chart-run-6-gates')).toBeNull();
  });
});
