import { describe, expect, it } from 'vitest';
import { RunSummary } from '../../shared/api';
import { SOURCE_FINGERPRINT } from '../sourceFingerprint';
import { settingsByAgreement } from './comparisonHtml';
import { softwareTable } from './htmlParts';
import { methodsParagraph, modelOptionsSentence } from './methodsText';
import { barChart, brainProjection, escapeHtml } from './svgCharts';

const metric = { value: 0.7, ciLow: 0.6, ciHigh: 0.8 };
const summary = RunSummary.parse({
  run: 3,
  variant: 'neurolip',
  protocol: 'loso',
  backend: 'wasm',
  subjects: 120,
  metrics: { acc: metric, balancedAcc: metric, auc: metric, f1: metric, sensitivity: metric, specificity: metric },
  foldMetrics: {},
  fairness: {},
  leakage: { sexProbeAuc: { mean: 0.5, sd: 0.1 } },
  epochSeconds: 1,
  folds: [],
  maps: null,
  config: {
    d: 24,
    layers: 2,
    heads: 3,
    dropout: 0.2,
    learningRate: 0.002,
    weightDecay: 0.01,
    batchSize: 32,
    epochs: 40,
    patience: 7,
    validationFraction: 0.1,
    lambdaNeg: 0.5,
    lambdaDis: 0.1,
    sensitive: ['sex', 'site'],
    seed: 5,
  },
});

describe('report pieces', () => {
  it("splits a comparison's settings into those that differ and those every run shared", () => {
    const { differing, shared } = settingsByAgreement([
      { d: 64, variant: 'neurolip', sensitive: ['sex', 'site'] },
      { d: 64, variant: 'logreg-fc', sensitive: ['sex', 'site'], weightAveraging: 0.98, memberSettings: [{}, { learningRate: 0.0001 }] },
    ]);
    expect(differing).toEqual([
      ['variant', 'neurolip', 'logreg-fc'],
      ['weightAveraging', '–', '0.98'],
      ['memberSettings', '–', 'member 1: as the run; member 2: learningRate 0.0001'],
    ]);
    expect(shared).toEqual([
      ['d', '64'],
      ['sensitive', 'sex, site'],
    ]);
  });

  it('writes the methods paragraph from the stored configuration and protocol', () => {
    const text = methodsParagraph(summary, { name: 'Lab cohort', subjects: 130, atlas: 'AAL116', synthetic: false }, SOURCE_FINGERPRINT);
    expect(text).toContain('We analysed 120 subjects of the cohort \u201cLab cohort\u201d');
    expect(text).toContain('width d = 24, 2 encoder layer(s) with 3 attention heads and dropout 0.2');
    expect(text).toContain('learning rate 0.002, weight decay 0.01, batch size 32) for at most 40 epochs, stopping early after 7 epochs');
    const fixed = methodsParagraph(
      { ...summary, config: { ...summary.config, earlyStopping: false } },
      { name: 'Lab cohort', subjects: 130, atlas: 'AAL116', synthetic: false },
      SOURCE_FINGERPRINT,
    );
    expect(fixed).toContain(
      'batch size 32) for 40 epochs without early stopping, predicting with the last epoch\u2019s weights; \u03bb_neg',
    );
    expect(fixed).not.toContain('stopping early after');
    expect(text).toContain('sensitive attributes: sex, site; seed 5');
    const none = methodsParagraph(
      { ...summary, config: { ...summary.config, sensitive: [] } },
      { name: 'Lab cohort', subjects: 130, atlas: 'AAL116', synthetic: false },
      SOURCE_FINGERPRINT,
    );
    expect(none).toContain('\u03bb_dis = 0.1, no sensitive attributes; seed 5');
    expect(text).toContain('leave-one-site-out cross-validation');
    expect(text).toContain('on the wasm back end');
    expect(text).not.toContain('synthetic');
    expect(text).not.toContain('whole-connectome token');
    expect(text).not.toContain('another build');
  });

  it('says when the run was trained by another build than the one writing the methods', () => {
    const cohort = { name: 'Lab cohort', subjects: 130, atlas: 'AAL116', synthetic: false };
    expect(methodsParagraph(summary, cohort, '0123456789ab')).toMatch(
      new RegExp(
        `This run was trained by another build of NeuroLIP Studio \\(source 0123456789ab; this text was written by source ${SOURCE_FINGERPRINT}\\), so where the two builds differ .*\\.$`,
      ),
    );
    expect(methodsParagraph(summary, cohort, undefined)).toContain('(an earlier build, which did not record its source; this text');
  });

  it('lists the software of each run beside the build writing the report, with a dash where a run recorded none', () => {
    const html = softwareTable([
      { label: 'trained the run', versions: { 'NeuroLIP Studio': '0.1.0', 'Back end': 'wasm' } },
      { label: 'wrote this report', versions: { 'NeuroLIP Studio': '0.2.0', SQLite: '3.50' } },
    ]);
    const rows = [...html.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) => c[1]));
    expect(rows).toEqual([
      ['component', 'trained the run', 'wrote this report'],
      ['NeuroLIP Studio', '0.1.0', '0.2.0'],
      ['Back end', 'wasm', '–'],
      ['SQLite', '–', '3.50'],
    ]);
  });

  it('names the model options that depart from the first specification', () => {
    const sentence = modelOptionsSentence({
      ...summary.config,
      globalToken: true,
      inputNorm: 'siteZ',
      regionNorm: 'none',
      inputDropout: 0.2,
      connectomeAttention: 0.5,
      ttcaLoss: 1,
      gate: 'chance',
      disentangleGradient: 'dx',
      fairConditioning: 'dx',
      oddsPenalty: 10,
      weightAveraging: 0.95,
      ensemble: 3,
      timeWindow: 0.7,
      refit: true,
    });
    expect(sentence).toBe(
      'A whole-connectome token (a linear embedding of the upper triangle on each connection z-scored within each site, input dropout 0.2, each edge weighted 50 % by the diagnosis tokens\u2019 attention to its two regions) was added to every token-conditioned embedding; ' +
        'region tokens were computed from raw Fisher-z values; a second diagnosis contrastive term on the attention pathway alone had weight 1; the negative gradient was gated at the batch\u2019s chance level; ' +
        'the disentanglement term moved only the diagnosis attention maps; the sensitive-attribute contrastive terms were computed within each diagnostic group (equalised odds); ' +
        'an equalised-odds penalty (weight 10) on the between-group variance of the patient probability within each diagnosis, for each sensitive attribute, was added to the loss; ' +
        'validation and prediction used an exponential moving average of the weights (decay 0.95 per step); ' +
        'each fold trained 3 models from different initial weights side by side, averaging their patient probabilities and attention maps; ' +
        'during training each subject\u2019s connectivity was recomputed in every step from a random window of 70 % of its scan (augmentation); ' +
        'after early stopping, the model was trained again from the same initial weights on the training and validation subjects together for the chosen number of epochs, and that model predicted the test subjects.',
    );
    expect(modelOptionsSentence({ ...summary.config, globalToken: true, inputDropout: 0.2, connectomeComponents: 128 })).toBe(
      'A whole-connectome token (a linear embedding of the scores on the first 128 principal components, fitted on the training subjects, of the upper triangle on raw Fisher-z values, input dropout 0.2) was added to every token-conditioned embedding.',
    );
    expect(
      modelOptionsSentence({
        ...summary.config,
        globalToken: true,
        inputDropout: 0.2,
        connectomeOptimiser: 'sgd',
        connectomeLearningRate: 0.05,
      }),
    ).toBe(
      'A whole-connectome token (a linear embedding of the upper triangle on raw Fisher-z values, input dropout 0.2, its weights trained by SGD with momentum at learning rate 0.05 instead of AdamW) was added to every token-conditioned embedding.',
    );
    expect(
      modelOptionsSentence({
        ...summary.config,
        globalToken: true,
        inputDropout: 0,
        connectomePenalty: 2,
        connectomeWarmup: 10,
        connectomeReadout: 'logit',
        fixedLogitScale: 5,
      }),
    ).toBe(
      'A whole-connectome token (a linear embedding of the upper triangle on raw Fisher-z values, input dropout 0, an L2 penalty on its weights (\u03bb = 2), trained alone for the first 10 epochs, which early stopping did not consider) added its product with each token\u2019s unit text embedding to that token\u2019s logit; the contrastive logits\u2019 scale was fixed at 5 instead of learnt.',
    );
    expect(modelOptionsSentence({ ...summary.config, ensemble: 3, memberValidation: 'own', validationFraction: 0.1 })).toBe(
      'Each fold trained 3 models from different initial weights, each early-stopped on its own 10 % of the fold\u2019s training subjects, averaging their patient probabilities and attention maps.',
    );
    expect(
      modelOptionsSentence({ ...summary.config, ensemble: 2, memberSettings: [{}, { connectomeReadout: 'logit', learningRate: 0.0001 }] }),
    ).toBe(
      'Each fold trained 2 models from different initial weights side by side, averaging their patient probabilities and attention maps; the models differed in their own settings (model 2 connectomeReadout logit, learningRate 0.0001).',
    );
    expect(
      modelOptionsSentence({ ...summary.config, ensemble: 3, memberValidation: 'separate', memberSettings: [{}, { predictionWeight: 2 }] }),
    ).toBe(
      'Each fold trained 3 models from different initial weights, each early-stopped apart on the fold\u2019s validation subjects, averaging their patient probabilities with weights 1 : 2 : 1 and their attention maps with equal weights; the models differed in their own settings (model 2 predictionWeight 2).',
    );
    const fittedFirst = (penalty: number) =>
      `a linear readout of the upper triangle on each connection z-scored within each site, fitted before training as L2-penalised logistic regression of the diagnosis on the training subjects (mean log-loss plus \u03bb / 2 times the squared weights, \u03bb = ${penalty}) to convergence and then held fixed, which added half its score to the patient token\u2019s logit and took half from the control token\u2019s`;
    const siteZ = { ...summary.config, globalToken: true, inputNorm: 'siteZ', regionNorm: 'none', connectomePenalty: 0 };
    const harmonised = modelOptionsSentence({ ...siteZ, regionNorm: 'siteMatched', disentangleTarget: 'pooled' })!;
    expect(harmonised).toContain(
      'region tokens were computed from each connection z-scored within each site and mapped back onto the training subjects\u2019 pooled mean and SD',
    );
    expect(harmonised).toContain(
      'the disentanglement term compared the diagnosis map with the mean of each attribute\u2019s token maps, not the subject\u2019s own group\u2019s',
    );
    expect(modelOptionsSentence({ ...siteZ, lambdaNeg: 0.5, sensitiveInput: 'both' })).toContain(
      'the sensitive tokens\u2019 contrastive terms with the negative gradient read the diagnosis-conditioned embedding that the prediction is made from, besides their own attention\u2019s embedding',
    );
    expect(modelOptionsSentence({ ...siteZ, lambdaNeg: 0, sensitiveInput: 'prediction' })).not.toContain('diagnosis-conditioned');
    expect(modelOptionsSentence({ ...siteZ, embeddingPenalty: 1 })).toContain(
      'a penalty (weight 1) on the share of the batch-standardised diagnosis-conditioned embedding\u2019s variance that lies between the groups of each sensitive attribute, within each diagnosis, was added to the loss',
    );
    expect(modelOptionsSentence({ ...siteZ, embeddingPenalty: 1, embeddingPenaltyEstimate: 'training' })).toContain(
      'that penalty projected each batch\u2019s group differences onto the groups\u2019 offsets over all training subjects, recomputed at the start of every epoch, instead of squaring the batch\u2019s own',
    );
    expect(modelOptionsSentence({ ...siteZ, embeddingPenalty: 0, embeddingPenaltyEstimate: 'training' })).not.toContain('that penalty');
    expect(modelOptionsSentence({ ...siteZ, embeddingPenalty: 40, embeddingPenaltyEstimate: 'discriminant' })).toContain(
      'onto the groups\u2019 ridge discriminant directions over all training subjects',
    );
    expect(modelOptionsSentence({ ...siteZ, embeddingPenalty: 1, directionPenalty: 40 })).toContain(
      'a penalty (weight 40) on each batch\u2019s sensitive-group differences in the diagnosis-conditioned embedding, within each diagnosis, projected onto the groups\u2019 ridge discriminant directions over all training subjects (recomputed at the start of every epoch), was added to the loss',
    );
    expect(modelOptionsSentence({ ...siteZ, embeddingPenalty: 1 })).not.toContain('discriminant');
    expect(modelOptionsSentence({ ...siteZ, erasedAttributes: ['sex'] })).toContain(
      'after training, the directions along which the groups\u2019 means of sex differed within each diagnosis over the training subjects were erased from each model\u2019s diagnosis-conditioned embedding (an oblique projection in the metric of its within-diagnosis covariance) before the diagnosis was read from it',
    );
    expect(modelOptionsSentence({ ...siteZ, erasedAttributes: [] })).not.toContain('erased');
    const centring =
      'at prediction, beside each readout fitted first, the attention pathway\u2019s mean share of the patient-minus-control logit over that model\u2019s training subjects was taken away, so that the readout\u2019s own calibration set where the scores sat';
    const fitted = { ...siteZ, connectomeOptimiser: 'converged', connectomeReadout: 'logit', connectomePenalty: 3 };
    expect(modelOptionsSentence({ ...fitted, pathwayCentring: true })).toContain(centring);
    expect(modelOptionsSentence({ ...fitted, pathwayCentring: false })).not.toContain('attention pathway');
    const shrunk = 'the offsets of an attribute with three groups or more were shrunk towards 0 by their sampling noise';
    expect(modelOptionsSentence({ ...fitted, readoutOffsets: ['site'], offsetShrinkage: true })).toContain(shrunk);
    expect(modelOptionsSentence({ ...fitted, readoutOffsets: ['site'], offsetShrinkage: false })).not.toContain('shrunk');
    const byRates =
      'made each group’s true- plus false-positive rate at the threshold (smoothed by a logistic kernel of 0.15 within-group SD)';
    expect(modelOptionsSentence({ ...fitted, readoutOffsets: ['sex'], offsetCriterion: 'rates' })).toContain(byRates);
    expect(modelOptionsSentence({ ...fitted, readoutOffsets: ['sex'], offsetCriterion: 'means' })).toContain(
      'moved, within each diagnosis, each group’s mean score',
    );
    expect(modelOptionsSentence({ ...fitted, readoutOffsets: ['sex'], offsetCriterion: 'means' })).not.toContain('false-positive');
    expect(modelOptionsSentence({ ...siteZ, pathwayCentring: true })).not.toContain('attention pathway');
    expect(modelOptionsSentence({ ...siteZ, embeddingPenalty: 0.3, embeddingPenaltyScale: 'chance' })).toContain(
      'within each diagnosis, each share divided by its expectation under shuffled group labels, (groups \u2212 1) / (subjects \u2212 1), was added to the loss',
    );
    expect(modelOptionsSentence({ ...siteZ, connectomeOptimiser: 'converged', connectomeReadout: 'logit', connectomePenalty: 3 })).toBe(
      `${fittedFirst(3)[0]!.toUpperCase()}${fittedFirst(3).slice(1)}; region tokens were computed from raw Fisher-z values.`,
    );
    expect(
      modelOptionsSentence({
        ...siteZ,
        inputDropout: 0.2,
        ensemble: 2,
        memberValidation: 'separate',
        memberSettings: [{}, { connectomeReadout: 'logit', connectomePenalty: 3, connectomeOptimiser: 'converged' }],
      }),
    ).toBe(
      'A whole-connectome token (a linear embedding of the upper triangle on each connection z-scored within each site, input dropout 0.2) was added to every token-conditioned embedding; ' +
        'region tokens were computed from raw Fisher-z values; ' +
        'each fold trained 2 models from different initial weights, each early-stopped apart on the fold\u2019s validation subjects, averaging their patient probabilities and attention maps; ' +
        'the models differed in their own settings (model 2 connectomeReadout logit, connectomePenalty 3, connectomeOptimiser converged); ' +
        `model 2\u2019s whole-connectome token was ${fittedFirst(3)}.`,
    );
    expect(
      modelOptionsSentence({
        ...siteZ,
        connectomeOptimiser: 'converged',
        connectomeReadout: 'logit',
        connectomePenalty: 3,
        readoutOffsets: ['sex', 'site'],
      }),
    ).toBe(
      `${fittedFirst(3)[0]!.toUpperCase()}${fittedFirst(3).slice(1)}; region tokens were computed from raw Fisher-z values; ` +
        'at prediction, the patient logit was offset per group of sex and site (equalised-odds post-processing), with offsets that moved, within each diagnosis, each group\u2019s mean score of the fitted readout on the training subjects, cross-fitted in 5 folds, to all training subjects\u2019 mean, averaging the two diagnoses\u2019 offsets; a site with fewer than 5 training subjects and at least 5 test subjects, which has no offset of its own, instead had its test subjects\u2019 patient logits moved together so that their mean was the log-odds of the training subjects\u2019 patient share (no test labels used).',
    );
    // Without site offsets there is no unseen site to centre.
    expect(modelOptionsSentence({ ...siteZ, readoutOffsets: ['sex'] })).toMatch(
      /per group of sex \(.*averaging the two diagnoses\u2019 offsets\.$/,
    );
    expect(modelOptionsSentence({ ...summary.config, inputNorm: 'edgeZ' })).toBe(
      'Region tokens were computed from each connection z-scored over the training subjects.',
    );
    expect(modelOptionsSentence({ ...summary.config, fairConditioning: 'dx', lambdaNeg: 0 })).toBeNull();
    expect(modelOptionsSentence({ ...siteZ, inputDropout: 0, connectomeMeasure: 'tangent' })).toBe(
      'A whole-connectome token (a linear embedding of the upper triangle on the tangent-space connectivity at the training subjects\u2019 mean (each subject\u2019s correlation matrix shrunk by 0.2 towards the identity, whitened by the training subjects\u2019 mean matrix and mapped by the matrix logarithm), each connection z-scored within each site, input dropout 0) was added to every token-conditioned embedding; ' +
        'region tokens were computed from raw Fisher-z values.',
    );
    const logistic = { name: 'Lab cohort', subjects: 130, atlas: 'AAL116', synthetic: false };
    expect(
      methodsParagraph({ ...summary, variant: 'logreg-fc', config: { connectomeMeasure: 'tangent' } }, logistic, SOURCE_FINGERPRINT),
    ).toContain(
      'It read the tangent-space connectivity at the training subjects\u2019 mean (each subject\u2019s correlation matrix shrunk by 0.2',
    );
    expect(
      methodsParagraph({ ...summary, variant: 'logreg-fc', config: { connectomeMeasure: 'correlation' } }, logistic, SOURCE_FINGERPRINT),
    ).not.toContain('tangent');
    for (const variant of ['logreg-fc', 'neurolip'] as const)
      expect(methodsParagraph({ ...summary, variant, config: { motionAdjustment: true } }, logistic, SOURCE_FINGERPRINT)).toContain(
        'The patient log-odds\u2019 slope on head motion (mean framewise displacement) within each diagnosis, estimated on cross-fitted scores of each fold\u2019s training subjects, was taken away at prediction',
      );
    expect(methodsParagraph({ ...summary, config: { motionAdjustment: false } }, logistic, SOURCE_FINGERPRINT)).not.toContain(
      'head motion',
    );
    expect(modelOptionsSentence({ ...summary.config, motionErasure: true })).toContain(
      'the directions along which each model\u2019s diagnosis-conditioned embedding covaried with head motion (mean framewise displacement) within each diagnosis over the training subjects were erased from it',
    );
    expect(modelOptionsSentence({ ...summary.config, motionErasure: false }) ?? '').not.toContain('head motion');
    expect(modelOptionsSentence({ ...summary.config, covariateAdjustment: 'site' })).toBe(
      'The site\u2019s effects were regressed out of every connection on the training subjects, with diagnosis as a covariate.',
    );
  });

  it('escapes text in charts and marks the top ROIs in a projection', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const chart = barChart('AUC <by> site', [
      { label: 'site <A>', value: 0.5, ciLow: 0.4, ciHigh: 0.6 },
      { label: 'B', value: null },
    ]);
    expect(chart).toContain('AUC &lt;by&gt; site');
    expect(chart).toContain('site &lt;A&gt;');
    expect(chart).toContain('n/a');
    expect(chart).not.toMatch(/<[^>]*\s(href|src)=/);
    const points = Array.from({ length: 20 }, (_, i) => ({ label: `ROI ${i}`, x: i - 10, y: 0, z: 0, value: i }));
    const svg = brainProjection('axial', points, 5);
    expect(svg.match(/r="5"/g)).toHaveLength(5);
    for (const top of [15, 16, 17, 18, 19]) expect(svg).toMatch(new RegExp(`r="5"[^>]*><title>ROI ${top}:`));
  });
});
