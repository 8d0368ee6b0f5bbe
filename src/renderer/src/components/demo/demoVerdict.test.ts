import { describe, expect, it } from 'vitest';
import type { DemoRunResult } from '../../../../shared/api';
import { verdict } from './demoVerdict';

const run = (variant: string, absoluteContrast: number, patientMap = 0) => ({
  runId: 1,
  variant,
  auc: 0.6,
  plantedRois: 12,
  chance: 12 / 116,
  precisionAtK: { absoluteContrast, patientMap, controlMap: 0 },
});
const demo = (...runs: ReturnType<typeof run>[]): DemoRunResult => ({ cohortId: 1, cohortName: 'Demo', seconds: 100, runs });

describe('the demo banner verdict', () => {
  it('names the best run and says plainly whether the planted regions were found', () => {
    expect(verdict(demo(run('neurolip-nofair', 3 / 12), run('neurolip', 6 / 12)))).toBe(
      'Best recovery: neurolip, 6 of 12 planted regions among the top 12 of its |patient − control| map (precision 0.50, chance 0.10), 4.8 times chance: the attention found some of the planted regions.',
    );
    expect(verdict(demo(run('neurolip-nofair', 0, 3 / 12), run('neurolip', 0, 2 / 12)))).toBe(
      'Best recovery: neurolip-nofair, 3 of 12 planted regions among the top 12 of its patient-token map (precision 0.25, chance 0.10), 2.4 times chance: the attention found some of the planted regions.',
    );
    expect(verdict(demo(run('neurolip', 1 / 12)))).toContain('not above chance: the attention did not find the planted regions');
    expect(verdict(demo(run('neurolip', 2 / 12)))).toContain('only a little above chance');
  });
});
