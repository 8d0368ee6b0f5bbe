import type { RunSummary } from '../../shared/api';
import { memberSettingPairs, namesInWords } from '../../shared/settingText';
import { TANGENT_SHRINKAGE } from '../../shared/trainDefaults';
import { SOURCE_FINGERPRINT } from '../sourceFingerprint';

const VARIANT_TEXT: Record<string, string> = {
  neurolip:
    'NeuroLIP, which aligns a transformer encoding of each subject\u2019s ROI-by-ROI functional connectivity with phenotype tokens (diagnosis and sensitive attributes) by a contrastive loss, with a gated negative-gradient term against the sensitive attributes and a disentanglement term between diagnosis and sensitive attention maps',
  'neurolip-v1': 'NeuroLIP as first specified (v1), a contrastive brain\u2013phenotype-token model with fairness terms',
  'neurolip-nofair':
    'NeuroLIP without its fairness terms (the negative-gradient and disentanglement weights set to zero), a contrastive brain\u2013phenotype-token model',
  'clip-global': 'a CLIP-style model aligning one global brain embedding with phenotype tokens, without token attention or fairness terms',
  'logreg-fc': 'L2-regularised logistic regression on the upper triangle of the connectivity matrix',
};

function value(config: Record<string, unknown>, key: string): string {
  const v = config[key];
  return v === undefined ? 'the default' : Array.isArray(v) ? v.join(', ') : String(v);
}

const NORM_TEXT: Record<string, string> = {
  none: 'raw Fisher-z values',
  edgeZ: 'each connection z-scored over the training subjects',
  siteZ: 'each connection z-scored within each site',
  siteMatched: 'each connection z-scored within each site and mapped back onto the training subjects\u2019 pooled mean and SD',
};

const TANGENT_TEXT = `the tangent-space connectivity at the training subjects\u2019 mean (each subject\u2019s correlation matrix shrunk by ${TANGENT_SHRINKAGE} towards the identity, whitened by the training subjects\u2019 mean matrix and mapped by the matrix logarithm)`;

/** What the whole-connectome token (or logreg-fc) read: the stored Fisher-z values or the tangent space, scaled as inputNorm says. */
function connectomeInputText(c: Record<string, unknown>, inputNorm: string): string {
  if (c.connectomeMeasure !== 'tangent') return NORM_TEXT[inputNorm] ?? inputNorm;
  return inputNorm === 'none' ? TANGENT_TEXT : `${TANGENT_TEXT}, ${NORM_TEXT[inputNorm] ?? inputNorm}`;
}

/** What a connectome readout fitted first (connectomeOptimiser 'converged') does, in words. */
function fittedReadoutText(penalty: unknown, input: string): string {
  return `a linear readout of the upper triangle on ${input}, fitted before training as L2-penalised logistic regression of the diagnosis on the training subjects (mean log-loss plus \u03bb / 2 times the squared weights, \u03bb = ${String(penalty)}) to convergence and then held fixed, which added half its score to the patient token\u2019s logit and took half from the control token\u2019s`;
}

/**
 * The model's departures from the first specification (docs/model.md), in words; null when the
 * run used none of them (neurolip-v1, runs stored before they existed).
 */
export function modelOptionsSentence(c: Record<string, unknown>): string | null {
  const parts: string[] = [];
  const inputNorm = typeof c.inputNorm === 'string' ? c.inputNorm : 'none';
  const regionNorm = c.regionNorm === undefined || c.regionNorm === 'same' ? inputNorm : String(c.regionNorm);
  const connectomeInput = connectomeInputText(c, inputNorm);
  if (c.globalToken === true && c.connectomeOptimiser === 'converged') parts.push(fittedReadoutText(c.connectomePenalty, connectomeInput));
  else if (c.globalToken === true) {
    const attention = Number(c.connectomeAttention ?? 0);
    const components = Number(c.connectomeComponents ?? 0);
    const embedding =
      components > 0
        ? `a linear embedding of the scores on the first ${components} principal components, fitted on the training subjects, of the upper triangle`
        : 'a linear embedding of the upper triangle';
    parts.push(
      `a whole-connectome token (${embedding} on ${connectomeInput}, input dropout ${value(c, 'inputDropout')}${attention > 0 ? `, each edge weighted ${attention * 100} % by the diagnosis tokens’ attention to its two regions` : ''}${c.connectomeOptimiser === 'sgd' ? `, its weights trained by SGD with momentum at learning rate ${value(c, 'connectomeLearningRate')} instead of AdamW` : ''}${Number(c.connectomePenalty ?? 0) > 0 ? `, an L2 penalty on its weights (\u03bb = ${value(c, 'connectomePenalty')})` : ''}${Number(c.connectomeWarmup ?? 0) > 0 ? `, trained alone for the first ${value(c, 'connectomeWarmup')} epochs, which early stopping did not consider` : ''}) ${c.connectomeReadout === 'logit' ? 'added its product with each token\u2019s unit text embedding to that token\u2019s logit' : 'was added to every token-conditioned embedding'}`,
    );
  }
  if (regionNorm !== 'none' || inputNorm !== 'none' || c.connectomeMeasure === 'tangent')
    parts.push(`region tokens were computed from ${NORM_TEXT[regionNorm] ?? regionNorm}`);
  if (c.covariateAdjustment === 'site' || c.covariateAdjustment === 'sensitive')
    parts.push(
      `the ${c.covariateAdjustment === 'site' ? 'site\u2019s' : 'sensitive attributes\u2019'} effects were regressed out of every connection on the training subjects, with diagnosis as a covariate`,
    );
  if (Number(c.ttcaLoss ?? 0) > 0)
    parts.push(`a second diagnosis contrastive term on the attention pathway alone had weight ${value(c, 'ttcaLoss')}`);
  if (c.gate === 'chance') parts.push('the negative gradient was gated at the batch’s chance level');
  if (c.disentangleGradient === 'dx') parts.push('the disentanglement term moved only the diagnosis attention maps');
  if (c.disentangleTarget === 'pooled')
    parts.push(
      'the disentanglement term compared the diagnosis map with the mean of each attribute\u2019s token maps, not the subject\u2019s own group\u2019s',
    );
  if (Number(c.lambdaNeg ?? 0) > 0 && (c.sensitiveInput === 'prediction' || c.sensitiveInput === 'both'))
    parts.push(
      `the sensitive tokens\u2019 contrastive terms with the negative gradient read the diagnosis-conditioned embedding that the prediction is made from${c.sensitiveInput === 'both' ? ', besides their own attention\u2019s embedding' : ', instead of their own attention\u2019s embedding'}`,
    );
  if (c.fairConditioning === 'dx' && Number(c.lambdaNeg ?? 0) > 0)
    parts.push('the sensitive-attribute contrastive terms were computed within each diagnostic group (equalised odds)');
  if (Number(c.oddsPenalty ?? 0) > 0)
    parts.push(
      `an equalised-odds penalty (weight ${value(c, 'oddsPenalty')}) on the between-group variance of the patient probability within each diagnosis, for each sensitive attribute, was added to the loss`,
    );
  if (Number(c.embeddingPenalty ?? 0) > 0)
    parts.push(
      `a penalty (weight ${value(c, 'embeddingPenalty')}) on the share of the batch-standardised diagnosis-conditioned embedding\u2019s variance that lies between the groups of each sensitive attribute, within each diagnosis${c.embeddingPenaltyScale === 'chance' ? ', each share divided by its expectation under shuffled group labels, (groups \u2212 1) / (subjects \u2212 1)' : ''}, was added to the loss`,
    );
  if (Number(c.embeddingPenalty ?? 0) > 0 && (c.embeddingPenaltyEstimate === 'training' || c.embeddingPenaltyEstimate === 'discriminant'))
    parts.push(
      `that penalty projected each batch\u2019s group differences onto the groups\u2019 ${c.embeddingPenaltyEstimate === 'discriminant' ? 'ridge discriminant directions' : 'offsets'} over all training subjects, recomputed at the start of every epoch, instead of squaring the batch\u2019s own`,
    );
  if (Number(c.directionPenalty ?? 0) > 0)
    parts.push(
      `a penalty (weight ${value(c, 'directionPenalty')}) on each batch\u2019s sensitive-group differences in the diagnosis-conditioned embedding, within each diagnosis, projected onto the groups\u2019 ridge discriminant directions over all training subjects (recomputed at the start of every epoch), was added to the loss`,
    );
  const erased = Array.isArray(c.erasedAttributes) ? (c.erasedAttributes as string[]) : [];
  if (erased.length > 0)
    parts.push(
      `after training, the directions along which the groups\u2019 means of ${erased.join(', ')} differed within each diagnosis over the training subjects were erased from each model\u2019s diagnosis-conditioned embedding (an oblique projection in the metric of its within-diagnosis covariance) before the diagnosis was read from it`,
    );
  if (c.motionErasure === true)
    parts.push(
      `after training, the directions along which each model\u2019s diagnosis-conditioned embedding covaried with head motion (mean framewise displacement) within each diagnosis over the training subjects were erased from it${erased.length > 0 ? ' in the same projection' : ' (an oblique projection in the metric of its within-diagnosis covariance)'}`,
    );
  if (Number(c.fixedLogitScale ?? 0) > 0)
    parts.push(`the contrastive logits\u2019 scale was fixed at ${value(c, 'fixedLogitScale')} instead of learnt`);
  if (Number(c.weightAveraging ?? 0) > 0)
    parts.push(
      `validation and prediction used an exponential moving average of the weights (decay ${value(c, 'weightAveraging')} per step)`,
    );
  const own = Array.isArray(c.memberSettings) ? (c.memberSettings as Record<string, unknown>[]) : [];
  if (Number(c.ensemble ?? 1) > 1) {
    const averaging = averagingText(Number(c.ensemble), own);
    parts.push(
      c.memberValidation === 'own'
        ? `each fold trained ${value(c, 'ensemble')} models from different initial weights, each early-stopped on its own ${Math.round(Number(c.validationFraction) * 100)} % of the fold’s training subjects, ${averaging}`
        : c.memberValidation === 'separate'
          ? `each fold trained ${value(c, 'ensemble')} models from different initial weights, each early-stopped apart on the fold’s validation subjects, ${averaging}`
          : `each fold trained ${value(c, 'ensemble')} models from different initial weights side by side, ${averaging}`,
    );
  }
  const mixed = memberSettingPairs(own).map(({ member, pairs }) => `model ${member} ${pairs}`);
  if (Number(c.ensemble ?? 1) > 1 && mixed.length > 0) parts.push(`the models differed in their own settings (${mixed.join('; ')})`);
  own.forEach((settings, m) => {
    if (Number(c.ensemble ?? 1) > m && c.globalToken === true && settings.connectomeOptimiser === 'converged')
      parts.push(
        `model ${m + 1}\u2019s whole-connectome token was ${fittedReadoutText(settings.connectomePenalty ?? c.connectomePenalty, connectomeInput)}`,
      );
  });
  const fittedFirst =
    c.globalToken === true &&
    (c.connectomeOptimiser === 'converged' ||
      own.some((settings, m) => Number(c.ensemble ?? 1) > m && settings.connectomeOptimiser === 'converged'));
  if (fittedFirst && c.pathwayCentring === true)
    parts.push(
      'at prediction, beside each readout fitted first, the attention pathway\u2019s mean share of the patient-minus-control logit over that model\u2019s training subjects was taken away, so that the readout\u2019s own calibration set where the scores sat',
    );
  const offsets = Array.isArray(c.readoutOffsets) ? (c.readoutOffsets as string[]) : [];
  if (offsets.length > 0)
    parts.push(
      `at prediction, the patient logit was offset per group of ${namesInWords(offsets)} (equalised-odds post-processing), with offsets that ${
        c.offsetCriterion === 'rates'
          ? 'made each group’s true- plus false-positive rate at the threshold (smoothed by a logistic kernel of 0.15 within-group SD), among the fitted readout’s scores of the training subjects cross-fitted in 5 folds, equal to all training subjects’'
          : 'moved, within each diagnosis, each group’s mean score of the fitted readout on the training subjects, cross-fitted in 5 folds, to all training subjects’ mean, averaging the two diagnoses’ offsets'
      }${
        c.offsetShrinkage === true
          ? '; the offsets of an attribute with three groups or more were shrunk towards 0 by their sampling noise (James\u2013Stein: each by the share its noise took of its noise plus the offsets\u2019 spread beyond noise)'
          : ''
      }${
        offsets.includes('site')
          ? '; a site with fewer than 5 training subjects and at least 5 test subjects, which has no offset of its own, instead had its test subjects’ patient logits moved together so that their mean was the log-odds of the training subjects’ patient share (no test labels used)'
          : ''
      }`,
    );
  if (Number(c.timeWindow ?? 1) < 1)
    parts.push(
      `during training each subject\u2019s connectivity was recomputed in every step from a random window of ${Math.round(Number(c.timeWindow) * 100)} % of its scan (augmentation)`,
    );
  if (c.refit === true)
    parts.push(
      'after early stopping, the model was trained again from the same initial weights on the training and validation subjects together for the chosen number of epochs, and that model predicted the test subjects',
    );
  if (parts.length === 0) return null;
  const text = parts.join('; ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

/** How an ensemble's members are combined: plain means, or the probabilities weighted by the members' predictionWeight. */
function averagingText(ensemble: number, own: Record<string, unknown>[]): string {
  const weights = Array.from({ length: ensemble }, (_, m) => Number(own[m]?.predictionWeight ?? 1));
  return weights.every((w) => w === 1)
    ? 'averaging their patient probabilities and attention maps'
    : `averaging their patient probabilities with weights ${weights.join(' : ')} and their attention maps with equal weights`;
}

/**
 * A caveat when the run was trained by another build than the one writing the text: the paragraph
 * describes the method as this build implements it. `trainedSource` is the run's stored source
 * fingerprint (undefined for runs stored before fingerprints were recorded).
 */
function otherBuildSentence(trainedSource: string | undefined): string | null {
  if (trainedSource === SOURCE_FINGERPRINT) return null;
  const which = trainedSource === undefined ? 'an earlier build, which did not record its source' : `source ${trainedSource}`;
  return `This run was trained by another build of NeuroLIP Studio (${which}; this text was written by source ${SOURCE_FINGERPRINT}), so where the two builds differ this paragraph describes the method as the newer code implements it, not necessarily as the run was trained.`;
}

/** Which patient groups the run predicted, where it named some (a cohort with several, as ADHD-200's subtypes). */
function patientsSentence(groups: unknown): string | null {
  if (!Array.isArray(groups) || groups.length === 0) return null;
  const names = namesInWords(groups.map(String));
  return `The diagnosis predicted was ${names}${groups.length > 1 ? ' (together, as one class)' : ''} against the controls; the cohort\u2019s subjects of other patient groups were left out.`;
}

/** A methods paragraph written from the run's stored configuration and evaluation protocol. */
export function methodsParagraph(
  summary: RunSummary,
  cohort: { name: string; subjects: number; atlas: string | null; synthetic: boolean },
  trainedSource: string | undefined,
): string {
  const c = summary.config ?? {};
  const model = VARIANT_TEXT[summary.variant] ?? summary.variant;
  const neural = summary.variant !== 'logreg-fc';
  const protocol =
    summary.protocol === 'kfold5'
      ? 'five-fold cross-validation stratified by diagnosis and site'
      : 'leave-one-site-out cross-validation (each site held out once)';
  const sentences = [
    `We analysed ${summary.subjects} subjects of the ${cohort.synthetic ? 'synthetic ' : ''}cohort \u201c${cohort.name}\u201d, with regions of interest from the ${cohort.atlas ?? 'cohort\u2019s own'} atlas.`,
    `The model was ${model}.`,
    patientsSentence(c.patientGroups),
    neural
      ? `It had width d = ${value(c, 'd')}, ${value(c, 'layers')} encoder layer(s) with ${value(c, 'heads')} attention heads and dropout ${value(c, 'dropout')}, and was trained with AdamW (learning rate ${value(c, 'learningRate')}, weight decay ${value(c, 'weightDecay')}, batch size ${value(c, 'batchSize')}) ${c.earlyStopping === false ? `for ${value(c, 'epochs')} epochs without early stopping, predicting with the last epoch\u2019s weights` : `for at most ${value(c, 'epochs')} epochs, stopping early after ${value(c, 'patience')} epochs without improvement of the validation AUC on a held-out ${value(c, 'validationFraction')} of each training fold`}; \u03bb_neg = ${value(c, 'lambdaNeg')}, \u03bb_dis = ${value(c, 'lambdaDis')}, ${Array.isArray(c.sensitive) && c.sensitive.length === 0 ? 'no sensitive attributes' : `sensitive attributes: ${value(c, 'sensitive')}`}; seed ${value(c, 'seed')}.`
      : `Sensitive attributes for the fairness analysis: ${value(c, 'sensitive')}; seed ${value(c, 'seed')}.`,
    neural
      ? modelOptionsSentence(c)
      : c.connectomeMeasure === 'tangent'
        ? `It read ${TANGENT_TEXT}, not the correlations themselves.`
        : null,
    c.motionAdjustment === true
      ? 'The patient log-odds\u2019 slope on head motion (mean framewise displacement) within each diagnosis, estimated on cross-fitted scores of each fold\u2019s training subjects, was taken away at prediction; subjects without a motion value were left as they were.'
      : null,
    `Performance was estimated by ${protocol}; accuracy, balanced accuracy, AUC, F1, sensitivity and specificity were computed on the pooled out-of-fold predictions with 95 % bootstrap confidence intervals.`,
    'Fairness was assessed per sensitive attribute as the largest between-group gaps in selection rate (demographic parity), true-positive rate (equal opportunity), true- and false-positive rates (equalised odds) and AUC, with bootstrap intervals; sex information left in the embedding was measured by a linear probe.',
    `Computation ran in NeuroLIP Studio with TensorFlow.js on the ${summary.backend} back end.`,
    otherBuildSentence(trainedSource),
  ];
  return sentences.filter((sentence): sentence is string => sentence !== null).join(' ');
}
