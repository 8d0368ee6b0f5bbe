import { describe, expect, it } from 'vitest';
import { linearMemberFor } from '../../renderer/src/components/train/presets';
import { VARIANT_DEFAULTS } from '../../shared/trainDefaults';
import { predictionWeights, resolveVariant, TrainConfig } from './trainConfig';

describe('the default mixed ensemble', () => {
  it('gives neurolip and its twin without fairness terms the same two members, the second a penalised linear readout fitted first', () => {
    for (const variant of ['neurolip', 'neurolip-nofair'] as const) {
      const config = TrainConfig.parse({ variant });
      expect(config.ensemble).toBe(2);
      expect(config.memberValidation).toBe('separate');
      expect(config.memberSettings).toEqual(VARIANT_DEFAULTS.neurolip.memberSettings);
      expect(config.memberSettings[1]).toMatchObject({
        connectomeReadout: 'logit',
        connectomeOptimiser: 'converged',
        connectomePenalty: 3,
      });
    }
    expect(TrainConfig.parse({ variant: 'neurolip-v1' })).toMatchObject({ ensemble: 1, memberSettings: [] });
    expect(TrainConfig.parse({ variant: 'clip-global' })).toMatchObject({ ensemble: 1, memberSettings: [] });
  });

  it('drops the default settings of the members a smaller ensemble leaves out, and keeps them for a larger one', () => {
    expect(TrainConfig.parse({ variant: 'neurolip', ensemble: 1 }).memberSettings).toEqual([]);
    expect(TrainConfig.parse({ variant: 'neurolip', ensemble: 3 }).memberSettings).toEqual(VARIANT_DEFAULTS.neurolip.memberSettings);
  });

  it('still refuses member settings the user gave for more members than the ensemble has', () => {
    const refused = TrainConfig.safeParse({ variant: 'neurolip', ensemble: 1, memberSettings: [{}, { learningRate: 0.01 }] });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues[0]!.message).toBe('more member settings than ensemble members');
  });

  it("refuses a member's own early stopping when the members stop together", () => {
    const settings = { variant: 'neurolip', ensemble: 2, memberSettings: [{}, { earlyStopping: false }] };
    const refused = TrainConfig.safeParse({ ...settings, memberValidation: 'shared' });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues[0]).toMatchObject({
      path: ['memberSettings'],
      message: "a member's own early stopping needs members that stop apart (memberValidation 'separate' or 'own')",
    });
    expect(TrainConfig.parse({ ...settings, memberValidation: 'separate' }).memberSettings[1]).toEqual({ earlyStopping: false });
    expect(
      TrainConfig.parse({ variant: 'neurolip', ensemble: 1, memberValidation: 'shared', memberSettings: [{ earlyStopping: false }] })
        .ensemble,
    ).toBe(1);
  });
});

describe("a member's prediction weight", () => {
  it("is 1 for every member unless a member sets its own: the default's linear member weighs 3", () => {
    expect(predictionWeights(TrainConfig.parse({ variant: 'neurolip' }))).toEqual([1, 3]);
    expect(predictionWeights(TrainConfig.parse({ variant: 'neurolip', memberSettings: [] }))).toEqual([1, 1]);
    const weighted = TrainConfig.parse({ variant: 'neurolip', ensemble: 3, memberSettings: [{}, { predictionWeight: 2.5 }] });
    expect(predictionWeights(weighted)).toEqual([1, 2.5, 1]);
  });

  it('refuses a weight that is not positive, at the member that set it', () => {
    for (const predictionWeight of [0, -1, Number.NaN]) {
      const refused = TrainConfig.safeParse({ variant: 'neurolip', memberSettings: [{}, { predictionWeight }] });
      expect(refused.success).toBe(false);
      expect(refused.error!.issues[0]!.path).toEqual(['memberSettings', 1, 'predictionWeight']);
    }
  });
});

describe('a connectome readout fitted first', () => {
  const fitted = { connectomeOptimiser: 'converged', connectomeReadout: 'logit', connectomePenalty: 3 };
  const refusal = (config: Record<string, unknown>) => TrainConfig.safeParse(config).error?.issues[0];

  it('is accepted for the run and for one member, with the linear readout and a penalty', () => {
    expect(TrainConfig.parse({ variant: 'neurolip', ensemble: 1, ...fitted }).connectomeOptimiser).toBe('converged');
    expect(TrainConfig.parse({ variant: 'neurolip', memberSettings: [{}, fitted] }).memberSettings[1]).toEqual(fitted);
  });

  it('needs the linear readout, for the run and for each member', () => {
    const message =
      "a connectome readout fitted first (connectomeOptimiser 'converged') needs the linear readout (connectomeReadout 'logit')";
    expect(refusal({ variant: 'neurolip', ensemble: 1, ...fitted, connectomeReadout: 'embedding' })).toMatchObject({
      path: ['connectomeOptimiser'],
      message,
    });
    expect(
      refusal({ variant: 'neurolip', memberSettings: [{}, { connectomeOptimiser: 'converged', connectomePenalty: 3 }] }),
    ).toMatchObject({
      path: ['memberSettings', 1, 'connectomeOptimiser'],
      message,
    });
    // A run-level setting that both members inherit is reported once.
    expect(TrainConfig.safeParse({ variant: 'neurolip', memberSettings: [], connectomeOptimiser: 'converged' }).error!.issues).toHaveLength(
      2,
    );
  });

  it('needs an L2 penalty, and no warm-up of the token it holds fixed', () => {
    expect(refusal({ variant: 'neurolip', memberSettings: [{}, { ...fitted, connectomePenalty: 0 }] })).toMatchObject({
      path: ['memberSettings', 1, 'connectomePenalty'],
      message: "a connectome readout fitted first (connectomeOptimiser 'converged') needs an L2 penalty (connectomePenalty above 0)",
    });
    expect(refusal({ variant: 'neurolip', memberSettings: [{}, fitted], connectomeWarmup: 5 })).toMatchObject({
      path: ['connectomeWarmup'],
      message:
        "a warm-up trains the connectome token, which member 2's readout, fitted first (connectomeOptimiser 'converged') holds fixed",
    });
    expect(refusal({ variant: 'neurolip', ensemble: 1, ...fitted, connectomeWarmup: 5 })?.message).toBe(
      "a warm-up trains the connectome token, which a readout fitted first (connectomeOptimiser 'converged') holds fixed",
    );
    // Without the connectome token there is nothing to fit: the optimiser's setting is moot, not refused.
    expect(
      TrainConfig.parse({ variant: 'neurolip', ensemble: 1, globalToken: false, connectomeOptimiser: 'converged' }).connectomePenalty,
    ).toBe(0);
    expect(refusal({ variant: 'neurolip', ensemble: 1, ...fitted, connectomeOptimiser: 'lbfgs' })).toMatchObject({
      path: ['connectomeOptimiser'],
    });
  });
});

/** The path and message of each issue TrainConfig finds in `config`. */
const refusals = (config: Record<string, unknown>) =>
  TrainConfig.safeParse(config).error?.issues.map(({ path, message }) => ({ path, message }));

describe('readout offsets', () => {
  it("are the variant's default (neurolip: sex, site and age group) where the run can use them, and what the user gives otherwise", () => {
    expect(TrainConfig.parse({ variant: 'neurolip' }).readoutOffsets).toEqual(['sex', 'site', 'ageGroup']);
    expect(TrainConfig.parse({ variant: 'neurolip', readoutOffsets: ['sex'] }).readoutOffsets).toEqual(['sex']);
    expect(TrainConfig.parse({ variant: 'neurolip', readoutOffsets: [] }).readoutOffsets).toEqual([]);
    // The default drops what the run cannot use: an attribute that is not sensitive, or all of it without the fitted readout.
    expect(TrainConfig.parse({ variant: 'neurolip', sensitive: ['site', 'sex'] }).readoutOffsets).toEqual(['sex', 'site']);
    expect(TrainConfig.parse({ variant: 'neurolip', sensitive: ['diagnosisGroup'] }).readoutOffsets).toEqual([]);
    expect(TrainConfig.parse({ variant: 'neurolip', ensemble: 1 }).readoutOffsets).toEqual([]);
    expect(TrainConfig.parse({ variant: 'neurolip', memberSettings: [] }).readoutOffsets).toEqual([]);
    expect(TrainConfig.parse({ variant: 'neurolip-v1' }).readoutOffsets).toEqual([]);
    expect(
      TrainConfig.parse({
        variant: 'neurolip',
        ensemble: 1,
        connectomeOptimiser: 'converged',
        connectomeReadout: 'logit',
        connectomePenalty: 3,
      }).readoutOffsets,
    ).toEqual(['sex', 'site', 'ageGroup']);
  });

  it('are fairness machinery: the variants without fairness terms drop them', () => {
    const config = TrainConfig.parse({ variant: 'neurolip-nofair', readoutOffsets: ['sex'] });
    expect(resolveVariant(config).readoutOffsets).toEqual([]);
    expect(resolveVariant(TrainConfig.parse({ variant: 'neurolip', readoutOffsets: ['sex'] })).readoutOffsets).toEqual(['sex']);
  });

  it('refuse an attribute that is not sensitive, one named twice, and a run without a fitted readout', () => {
    expect(refusals({ variant: 'neurolip', sensitive: ['sex'], readoutOffsets: ['sex', 'site'] })).toEqual([
      { path: ['readoutOffsets', 1], message: '"site" is not among the sensitive attributes (sex)' },
    ]);
    expect(refusals({ variant: 'neurolip', readoutOffsets: ['sex', 'sex'] })).toEqual([
      { path: ['readoutOffsets'], message: 'each sensitive attribute once' },
    ]);
    expect(refusals({ variant: 'neurolip', ensemble: 1, readoutOffsets: ['sex'] })).toEqual([
      {
        path: ['readoutOffsets'],
        message: "readout offsets need a member whose connectome readout is fitted first (connectomeOptimiser 'converged')",
      },
    ]);
  });
});

describe('the direction penalty', () => {
  it('stands beside the batch estimate only, and is fairness machinery', () => {
    expect(TrainConfig.parse({ variant: 'neurolip', directionPenalty: 40 }).embeddingPenaltyEstimate).toBe('batch');
    expect(refusals({ variant: 'neurolip', directionPenalty: 40, embeddingPenaltyEstimate: 'discriminant' })).toEqual([
      {
        path: ['directionPenalty'],
        message:
          "the direction penalty already projects on the training subjects' discriminant directions: combine it with the embedding penalty's batch estimate only",
      },
    ]);
    expect(resolveVariant(TrainConfig.parse({ variant: 'neurolip-nofair', directionPenalty: 40 })).directionPenalty).toBe(0);
  });
});

describe('embedding erasure', () => {
  const erasing = { variant: 'neurolip', erasedAttributes: ['sex', 'site'] };

  it("needs every member's connectome token read as an embedding or fitted first, and is fairness machinery", () => {
    expect(TrainConfig.parse(erasing).erasedAttributes).toEqual(['sex', 'site']);
    expect(refusals({ ...erasing, ensemble: 1, connectomeReadout: 'logit' })).toEqual([
      {
        path: ['erasedAttributes'],
        message:
          "embedding erasure needs the connectome token read as an embedding or fitted first (connectomeOptimiser 'converged'), not learnt as a logit",
      },
    ]);
    expect(refusals({ ...erasing, memberSettings: [{}, { connectomeReadout: 'logit' }] })).toEqual([
      {
        path: ['erasedAttributes'],
        message:
          "embedding erasure needs member 2's connectome token read as an embedding or fitted first (connectomeOptimiser 'converged'), not learnt as a logit",
      },
    ]);
    expect(resolveVariant(TrainConfig.parse({ ...erasing, variant: 'neurolip-nofair' })).erasedAttributes).toEqual([]);
    // The default (sex) applies where it can: among the sensitive attributes, and without a connectome logit learnt by gradient.
    expect(TrainConfig.parse({ variant: 'neurolip' }).erasedAttributes).toEqual(['sex']);
    expect(TrainConfig.parse({ variant: 'neurolip', sensitive: ['site'] }).erasedAttributes).toEqual([]);
    expect(TrainConfig.parse({ variant: 'neurolip', ensemble: 1, connectomeReadout: 'logit' }).erasedAttributes).toEqual([]);
    expect(TrainConfig.parse({ variant: 'neurolip-v1' }).erasedAttributes).toEqual([]);
    expect(refusals({ ...erasing, sensitive: ['sex'] })).toEqual([
      { path: ['erasedAttributes', 1], message: '"site" is not among the sensitive attributes (sex)' },
    ]);
  });

  it('reads the tangent space by default in neurolip, the correlations with a time window or in v1, and refuses both chosen together', () => {
    expect(TrainConfig.parse({ variant: 'neurolip' }).connectomeMeasure).toBe('tangent');
    expect(TrainConfig.parse({ variant: 'neurolip-nofair' }).connectomeMeasure).toBe('tangent');
    expect(TrainConfig.parse({ variant: 'neurolip-v1' }).connectomeMeasure).toBe('correlation');
    expect(TrainConfig.parse({ variant: 'logreg-fc' }).connectomeMeasure).toBe('correlation');
    expect(TrainConfig.parse({ variant: 'neurolip', timeWindow: 0.7 }).connectomeMeasure).toBe('correlation');
    expect(TrainConfig.parse({ variant: 'neurolip', timeWindow: 1 }).connectomeMeasure).toBe('tangent');
    expect(refusals({ variant: 'neurolip', timeWindow: 0.7, connectomeMeasure: 'tangent' })).toEqual([
      {
        path: ['timeWindow'],
        message:
          "time-window augmentation recomputes correlations, which the tangent-space connectome cannot follow: set connectomeMeasure to 'correlation' to use it",
      },
    ]);
    expect(refusals({ variant: 'neurolip', connectomeMeasure: 'partial' })?.map((issue) => issue.path)).toEqual([['connectomeMeasure']]);
  });
});

describe('the Train page’s linear member fields', () => {
  it('send member settings this schema takes, for both variants with a mixed ensemble', () => {
    for (const variant of ['neurolip', 'neurolip-nofair'] as const) {
      const sent = linearMemberFor(variant, { connectomePenalty: '10', predictionWeight: '1', learningRate: '0.001' }, {});
      expect(TrainConfig.parse({ variant, ...sent }).memberSettings[1]).toMatchObject({
        connectomePenalty: 10,
        predictionWeight: 1,
        learningRate: 0.001,
        connectomeOptimiser: 'converged',
      });
    }
  });
});
