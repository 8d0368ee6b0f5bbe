// @vitest-environment happy-dom
import { cleanup, render, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../../shared/api';
import { FairnessTable } from './FairnessTable';

afterEach(cleanup);

const group = (name: string, n: number, values: number | null, small = false) => ({
  group: name,
  n,
  positives: Math.round(n / 2),
  acc: values,
  auc: values,
  tpr: values,
  fpr: values === null ? null : 1 - values,
  selectionRate: values,
  small,
});

const report: RunSummary['fairness'][string] = {
  groups: [group('female', 40, 0.8125), group('male', 52, 0.7), group('other', 6, null, true)],
  dDP: 0.1125,
  dEOpp: 0.05,
  dEOdds: 0.0625,
  dAUC: null,
  ci: { dDP: [0.01, 0.2], dEOdds: [0.02, null] },
  dEOddsNull: { chance: 0.081, p: 0.62 },
};

describe('FairnessTable', () => {
  it('shows the gaps and one row per group with n, ACC, AUC, TPR, FPR and selection rate; small groups flagged', () => {
    const { container } = render(<FairnessTable attribute="sex" report={report} />);
    expect(container.querySelector('h6')!.textContent).toBe(
      'Fairness by sex: dDP 0.113 [0.010, 0.200], dEOpp 0.050, dEOdds 0.063 [0.020, –], dAUC –',
    );
    const table = within(container).getByTestId('fairness-sex');
    expect([...table.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual([
      'Group',
      'n',
      'ACC',
      'AUC',
      'TPR',
      'FPR',
      'Selection rate',
    ]);
    expect([...table.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))).toEqual([
      ['female', '40', '0.813', '0.813', '0.813', '0.188', '0.813'],
      ['male', '52', '0.700', '0.700', '0.700', '0.300', '0.700'],
      ['other *', '6', '–', '–', '–', '–', '–'],
    ]);
    expect(container.textContent).toContain('* fewer than 10 test subjects: listed, but left out of the gaps.');
  });

  it('has no footnote when no group is small', () => {
    const { container } = render(<FairnessTable attribute="site" report={{ ...report, groups: report.groups.slice(0, 2) }} />);
    expect(container.querySelectorAll('tbody tr')).toHaveLength(2);
    expect(container.textContent).not.toContain('fewer than 10');
  });

  it('says how large dEOdds gets by chance, and whether the observed gap is larger', () => {
    const { getByTestId } = render(<FairnessTable attribute="sex" report={report} />);
    expect(getByTestId('fairness-null-sex').textContent).toBe(
      'dEOdds by chance with these group sizes (group labels shuffled within each diagnosis): median 0.081; the observed gap is within what chance gives (p = 0.620).',
    );
    cleanup();
    const { getByTestId: again } = render(<FairnessTable attribute="site" report={{ ...report, dEOddsNull: { chance: 0.1, p: 0.004 } }} />);
    expect(again('fairness-null-site').textContent).toContain('the observed gap is larger than chance (p = 0.004)');
  });
});
