import { describe, expect, it } from 'vitest';
import { SPEC_DEFAULTS, VARIANT_DEFAULTS } from '../../../../shared/trainDefaults';
import {
  ADVANCED_FIELDS,
  ADVANCED_SECTIONS,
  SETTING_CHOICES,
  choiceDefaultText,
  choiceHelperText,
  configFromSettings,
  defaultErasure,
  defaultOffsets,
  erasureFor,
  erasureText,
  defaultsText,
  linearMemberDefault,
  linearMemberFor,
  linearMemberText,
  memberSettingsText,
  offsetsFor,
  offsetsText,
  variantDefault,
} from './presets';

describe('the Advanced panel’s sections', () => {
  it('places every field and choice under one of its headings, and leaves no heading empty', () => {
    const sections = ADVANCED_SECTIONS.map((section) => section.id as string);
    const placed = [...ADVANCED_FIELDS, ...SETTING_CHOICES].map((entry) => entry.section as string);
    expect(placed.filter((section) => !sections.includes(section))).toEqual([]);
    expect(sections.filter((section) => !placed.includes(section))).toEqual([]);
  });

  it('puts every fairness weight and choice under Fairness terms, and nothing else there', () => {
    for (const entry of [...ADVANCED_FIELDS, ...SETTING_CHOICES])
      expect([entry.key, entry.section === 'fairness']).toEqual([entry.key, 'fairness' in entry && entry.fairness === true]);
  });
});

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
    expect(defaultsText(['neurolip-nofair'], 'embeddingPenalty')).toBe('not used without fairness terms');
    expect(defaultsText(['neurolip', 'neurolip-v1'], 'embeddingPenalty')).toBe('blank: neurolip 1, neurolip-v1 0');
  });

  it('says what a blank fairness choice means, only for variants with fairness terms', () => {
    expect(choiceDefaultText(['neurolip-v1'], 'fairConditioning')).toBe('blank: default over the whole batch');
    expect(choiceDefaultText(['neurolip-nofair', 'logreg-fc'], 'covariateAdjustment')).toBe('not used without fairness terms');
    expect(choiceDefaultText(['neurolip-v1'], 'covariateAdjustment')).toBe('blank: default left in');
    expect(choiceDefaultText(['logreg-fc'], 'motionAdjustment')).toBe('blank: default left in');
    expect(choiceHelperText(['logreg-fc'], 'motionAdjustment', { withMotion: 0 })).toBe(
      'blank: default left in; this cohort has no mean FD, so its runs are not adjusted',
    );
    expect(choiceHelperText(['logreg-fc'], 'motionAdjustment', { withMotion: 3 })).toBe('blank: default left in');
    expect(choiceDefaultText(['logreg-fc'], 'motionErasure')).toBe('not used by logistic regression');
    expect(choiceHelperText(['neurolip-v1'], 'motionErasure', { withMotion: 0 })).toBe(
      'blank: default left in; this cohort has no mean FD, so its runs are not adjusted',
    );
    expect(choiceHelperText(['logreg-fc'], 'connectomeMeasure', { withMotion: 0 })).toBe(
      choiceDefaultText(['logreg-fc'], 'connectomeMeasure'),
    );
    expect(configFromSettings({ motionAdjustment: 'true' })).toEqual({ motionAdjustment: true });
    expect(choiceDefaultText(['neurolip', 'neurolip-nofair'], 'disentangleTarget')).toBe(
      'blank: default the subject’s own group token’s attention',
    );
    expect(choiceDefaultText(['neurolip-v1'], 'sensitiveInput')).toBe('blank: default their own attention’s embedding (spec)');
    expect(configFromSettings({ sensitiveInput: 'both' })).toEqual({ sensitiveInput: 'both' });
  });

  it('says which connectivity the connectome token reads, and logistic regression too', () => {
    expect(choiceDefaultText(['neurolip', 'neurolip-nofair'], 'connectomeMeasure')).toBe(
      'blank: default tangent space at the training subjects’ mean (correlations shrunk by 0.2, then whitened and log-mapped)',
    );
    expect(choiceDefaultText(['logreg-fc', 'neurolip-v1'], 'connectomeMeasure')).toBe('blank: default Fisher-z correlations, as stored');
    expect(choiceDefaultText(['logreg-fc'], 'connectomeOptimiser')).toBe('not used by logistic regression');
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

  it('offers the region tokens’ input, whose blank default differs between v1 and the improved model', () => {
    expect(choiceDefaultText(['neurolip-v1', 'neurolip'], 'regionNorm')).toBe(
      'blank: neurolip-v1 as the connectome token’s input, neurolip raw Fisher-z rows',
    );
    expect(choiceDefaultText(['logreg-fc'], 'regionNorm')).toBe('not used by logistic regression');
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

  it('offsets the prediction per group by default for the mixed ensemble, and sends a changed choice to it alone', () => {
    expect(defaultOffsets(['sex', 'ageGroup', 'site'])).toEqual(['sex', 'site', 'ageGroup']);
    expect(defaultOffsets(['site'])).toEqual(['site']);
    expect(defaultOffsets(['handedness'])).toEqual([]);
    expect(offsetsFor('neurolip', null, ['sex', 'site'], {})).toEqual({});
    expect(offsetsFor('neurolip', ['site', 'sex'], ['sex', 'site'], { ensemble: 2 })).toEqual({ readoutOffsets: ['site', 'sex'] });
    // An attribute no longer ticked as sensitive is dropped, and variants without the linear member get nothing.
    expect(offsetsFor('neurolip-nofair', ['site', 'ageGroup'], ['site'], {})).toEqual({ readoutOffsets: ['site'] });
    expect(offsetsFor('neurolip-v1', ['sex'], ['sex'], {})).toEqual({});
    expect(offsetsFor('logreg-fc', [], ['sex'], {})).toEqual({});
    // One model has no linear member to estimate them on (the form says so).
    expect(offsetsFor('neurolip', ['sex'], ['sex'], { ensemble: 1 })).toEqual({});
  });

  it('erases sex from the embedding by default, and sends a changed choice to the variants with fairness terms alone', () => {
    expect(defaultErasure(['sex', 'ageGroup', 'site'])).toEqual(['sex']);
    expect(defaultErasure(['site'])).toEqual([]);
    expect(erasureFor('neurolip', null, ['sex', 'site'])).toEqual({});
    expect(erasureFor('neurolip', ['site', 'sex'], ['sex', 'site'])).toEqual({ erasedAttributes: ['site', 'sex'] });
    expect(erasureFor('neurolip-v1', ['sex', 'ageGroup'], ['sex'])).toEqual({ erasedAttributes: ['sex'] });
    expect(erasureFor('neurolip-nofair', ['sex'], ['sex'])).toEqual({});
    expect(erasureFor('logreg-fc', ['sex'], ['sex'])).toEqual({});
    expect(erasureText(['neurolip', 'neurolip-nofair'])).toBe(
      'Used by neurolip: after training, the directions along which the ticked groups’ means differ within each diagnosis are erased from the embedding the diagnosis is read from. neurolip-nofair drops it.',
    );
    expect(erasureText(['neurolip-v1'])).toMatch(/^Used by neurolip-v1: .* By default neurolip-v1 erases none\.$/);
    expect(erasureText(['clip-global', 'logreg-fc'])).toBe('Not used by these variants: fairness machinery.');
  });

  it('says which chosen variants use the offsets with the settings chosen', () => {
    expect(offsetsText(['neurolip', 'neurolip-nofair'], {})).toBe(
      'Used by neurolip: the patient logit moves by each group’s offset, estimated on the linear member’s cross-fitted scores (equalised odds); a site left out of training is centred on its own predictions instead. neurolip-nofair drops it.',
    );
    expect(offsetsText(['neurolip', 'logreg-fc'], { ensemble: 2 })).toMatch(
      /^Used by neurolip: .*\(equalised odds\); a site left out of training is centred on its own predictions instead\.$/,
    );
    expect(offsetsText(['neurolip'], { ensemble: 1 })).toBe('Not used with one ensemble member: the fitted linear member is the second.');
    expect(offsetsText(['neurolip-nofair'], {})).toBe('Not used by neurolip-nofair: fairness machinery.');
    expect(offsetsText(['neurolip-v1', 'clip-global'], {})).toBe(
      'Not used by these variants: the offsets are estimated on the mixed ensemble’s fitted linear member.',
    );
  });
});

describe('the linear member’s own settings', () => {
  it('sends the variant’s default members with the changed fields of member 2, as numbers', () => {
    const full = {};
    const sent = linearMemberFor('neurolip', { connectomePenalty: '10', predictionWeight: '' }, full);
    expect(sent.memberSettings).toEqual([{}, { ...VARIANT_DEFAULTS.neurolip.memberSettings![1], connectomePenalty: 10 }]);
    expect(sent.memberSettings![1]).toMatchObject({ connectomeOptimiser: 'converged', predictionWeight: 3 });
    expect(linearMemberFor('neurolip-nofair', { learningRate: '0.001' }, full).memberSettings![1]).toMatchObject({ learningRate: 0.001 });
  });

  it('sends nothing when nothing changed, for a variant without a linear member, or with one member trained', () => {
    expect(linearMemberFor('neurolip', {}, {})).toEqual({});
    expect(linearMemberFor('neurolip', { connectomePenalty: '' }, {})).toEqual({});
    expect(linearMemberFor('clip-global', { connectomePenalty: '10' }, {})).toEqual({});
    expect(linearMemberFor('neurolip', { connectomePenalty: '10' }, { ensemble: 1 })).toEqual({});
    expect(linearMemberFor('neurolip', { connectomePenalty: '10' }, { ensemble: '3' }).memberSettings).toHaveLength(2);
  });

  it('gives each field’s default and says which chosen variants train the member', () => {
    expect([
      linearMemberDefault('connectomePenalty'),
      linearMemberDefault('predictionWeight'),
      linearMemberDefault('learningRate'),
    ]).toEqual([3, 3, 0.0001]);
    expect(linearMemberText(['neurolip', 'neurolip-nofair', 'logreg-fc'], {})).toMatch(/^Used by neurolip and neurolip-nofair: member 2/);
    expect(linearMemberText(['neurolip'], { ensemble: 1 })).toBe(
      'Not used with one ensemble member: the fitted linear member is the second.',
    );
    expect(linearMemberText(['clip-global'], {})).toBe(
      'Not used by these variants: only neurolip and neurolip-nofair train a linear member.',
    );
  });
});
