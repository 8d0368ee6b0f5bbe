import { describe, expect, it } from 'vitest';
import { SPEC_DEFAULTS, VARIANT_DEFAULTS } from '../../../../shared/trainDefaults';
import { choiceDefaultText, configFromSettings, defaultsText, memberSettingsText, variantDefault } from './presets';

describe('the Advanced section’s defaults', () => {
  it('takes a variant’s own default, else the v1 spec’s', () => {
    expect(variantDefault('neurolip-v1', 'layers')).toBe(SPEC_DEFAULTS.layers);
    expect(variantDefault('neurolip', 'layers')).toBe(VARIANT_DEFAULTS.neurolip.layers);
    expect(variantDefault('neurolip', 'd')).toBe(SPEC_DEFAULTS.d);
  });

  it('says what a blank field means for the chosen variants', () => {
    expect(defaultsText(['neurolip', 'neurolip-nofair'], 'd')).toBe(`blank: default ${SPEC_DEFAULTS.d}`);
    expect(defaultsText(['neurolip', 'neurolip-v1'], 'layers')).toBe(
      `blank: neurolip ${VARIANT_DEFAULTS.neurolip.layers}, neurolip-v1 ${SPEC_DEFAULTS.layers}`,
    );
    expect(defaultsText(['logreg-fc', 'neurolip-v1'], 'layers')).toBe(`blank: default ${SPEC_DEFAULTS.layers}`);
    expect(defaultsText(['logreg-fc'], 'epochs')).toBe('not used by logistic regression');
  });

  it('gives the fairness weights’ defaults only for the variants with fairness terms', () => {
    expect(defaultsText(['neurolip', 'neurolip-nofair'], 'lambdaNeg')).toBe(`blank: default ${SPEC_DEFAULTS.lambdaNeg}`);
    expect(defaultsText(['neurolip-nofair', 'clip-global', 'logreg-fc'], 'lambdaDis')).toBe('not used without fairness terms');
    expect(defaultsText(['clip-global', 'neurolip-v1'], 'oddsPenalty')).toBe(`blank: default ${SPEC_DEFAULTS.oddsPenalty}`);
  });

  it('says what a blank fairness choice means, only for variants with fairness terms', () => {
    expect(choiceDefaultText(['neurolip-v1'], 'fairConditioning')).toBe('blank: default over the whole batch');
    expect(choiceDefaultText(['neurolip-nofair', 'logreg-fc'], 'covariateAdjustment')).toBe('not used without fairness terms');
    expect(choiceDefaultText(['neurolip-v1'], 'covariateAdjustment')).toBe('blank: default left in');
  });

  it('offers early stopping as a yes/no choice, sent as a boolean', () => {
    expect(choiceDefaultText(['neurolip', 'clip-global'], 'earlyStopping')).toBe(
      'blank: default on the validation AUC, with patience (best epoch kept)',
    );
    expect(configFromSettings({ earlyStopping: 'false', d: 8, covariateAdjustment: 'site' })).toEqual({
      earlyStopping: false,
      d: 8,
      covariateAdjustment: 'site',
    });
    expect(configFromSettings({ earlyStopping: 'true' })).toEqual({ earlyStopping: true });
  });

  it('says what a blank ensemble early-stopping choice means for every neural variant', () => {
    expect(choiceDefaultText(['neurolip-nofair', 'logreg-fc'], 'memberValidation')).toBe(
      'blank: default each apart on the fold’s validation subjects',
    );
    expect(choiceDefaultText(['neurolip-v1'], 'memberValidation')).toBe('blank: default together on the fold’s validation subjects');
    expect(choiceDefaultText(['logreg-fc'], 'memberValidation')).toBe('not used by logistic regression');
  });

  it('names the default mixed ensemble’s member settings for the variants that have one', () => {
    const text = memberSettingsText(['neurolip', 'neurolip-nofair', 'neurolip-v1']);
    expect(text).toMatch(
      /^neurolip and neurolip-nofair by default train a mixed ensemble, member 2: connectomeReadout logit, connectomePenalty 3, /,
    );
    expect(text).not.toMatch(/member 1|neurolip-v1/);
    expect(memberSettingsText(['neurolip-v1', 'logreg-fc'])).toBeNull();
  });
});
