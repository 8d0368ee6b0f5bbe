import type { RunSummary } from '../../shared/api';

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

/** A methods paragraph written from the run's stored configuration and evaluation protocol. */
export function methodsParagraph(
  summary: RunSummary,
  cohort: { name: string; subjects: number; atlas: string | null; synthetic: boolean },
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
    neural
      ? `It had width d = ${value(c, 'd')}, ${value(c, 'layers')} encoder layer(s) with ${value(c, 'heads')} attention heads and dropout ${value(c, 'dropout')}, and was trained with AdamW (learning rate ${value(c, 'learningRate')}, weight decay ${value(c, 'weightDecay')}, batch size ${value(c, 'batchSize')}) for at most ${value(c, 'epochs')} epochs, stopping early after ${value(c, 'patience')} epochs without improvement of the validation AUC on a held-out ${value(c, 'validationFraction')} of each training fold; \u03bb_neg = ${value(c, 'lambdaNeg')}, \u03bb_dis = ${value(c, 'lambdaDis')}, sensitive attributes: ${value(c, 'sensitive')}; seed ${value(c, 'seed')}.`
      : `Sensitive attributes for the fairness analysis: ${value(c, 'sensitive')}; seed ${value(c, 'seed')}.`,
    `Performance was estimated by ${protocol}; accuracy, balanced accuracy, AUC, F1, sensitivity and specificity were computed on the pooled out-of-fold predictions with 95 % bootstrap confidence intervals.`,
    'Fairness was assessed per sensitive attribute as the largest between-group gaps in selection rate (demographic parity), true-positive rate (equal opportunity), true- and false-positive rates (equalised odds) and AUC, with bootstrap intervals; sex information left in the embedding was measured by a linear probe.',
    `Computation ran in NeuroLIP Studio with TensorFlow.js on the ${summary.backend} back end.`,
  ];
  return sentences.join(' ');
}
