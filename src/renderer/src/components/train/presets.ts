import type { SensitiveAttributeOption } from '../../../../shared/api';
import { memberSettingPairs, namesInWords } from '../../../../shared/settingText';
import { SPEC_DEFAULTS, TANGENT_SHRINKAGE, TRAINING_PRESETS, VARIANT_DEFAULTS } from '../../../../shared/trainDefaults';

export type PresetId = keyof typeof TRAINING_PRESETS;

export const ADVANCED_FIELDS = [
  { key: 'epochs', label: 'Epochs (max)', step: 1, section: 'training' },
  { key: 'patience', label: 'Early-stopping patience', step: 1, section: 'training' },
  { key: 'batchSize', label: 'Batch size', step: 8, section: 'training' },
  { key: 'learningRate', label: 'Learning rate', step: 0.0001, section: 'training' },
  { key: 'weightDecay', label: 'Weight decay', step: 0.0001, section: 'training' },
  { key: 'ensemble', label: 'Ensemble members per fold', step: 1, section: 'training' },
  { key: 'weightAveraging', label: 'Weight averaging (decay per step, 0 off)', step: 0.01, section: 'training' },
  { key: 'timeWindow', label: 'Time window for augmentation (share of the scan, 1 off)', step: 0.05, section: 'training' },
  { key: 'd', label: 'Width d', step: 8, section: 'model' },
  { key: 'layers', label: 'Encoder layers', step: 1, section: 'model' },
  { key: 'heads', label: 'Attention heads', step: 1, section: 'model' },
  { key: 'dropout', label: 'Dropout', step: 0.05, section: 'model' },
  { key: 'ttcaLoss', label: 'Weight of the attention-only diagnosis loss', step: 0.1, section: 'model' },
  { key: 'fixedLogitScale', label: 'Fixed logit scale (0 learns it)', step: 1, section: 'model' },
  { key: 'inputDropout', label: 'Input dropout', step: 0.05, section: 'connectome' },
  { key: 'connectomeComponents', label: 'Principal components (0 reads every edge)', step: 8, section: 'connectome' },
  { key: 'connectomeLearningRate', label: 'Learning rate under SGD (unused with AdamW)', step: 0.01, section: 'connectome' },
  { key: 'connectomePenalty', label: 'L2 penalty λ (0 off)', step: 0.1, section: 'connectome' },
  { key: 'connectomeWarmup', label: 'Warm-up epochs trained alone (0 off)', step: 1, section: 'connectome' },
  { key: 'connectomeAttention', label: 'Share read through attention (0–1)', step: 0.1, section: 'connectome' },
  { key: 'lambdaNeg', label: 'λ negative gradient', step: 0.1, section: 'fairness', fairness: true },
  { key: 'lambdaDis', label: 'λ disentanglement', step: 0.05, section: 'fairness', fairness: true },
  { key: 'oddsPenalty', label: 'Equalised-odds penalty (weight, 0 off)', step: 1, section: 'fairness', fairness: true },
  { key: 'embeddingPenalty', label: 'Embedding group penalty (weight, 0 off)', step: 0.5, section: 'fairness', fairness: true },
  {
    key: 'directionPenalty',
    label: 'Discriminant-direction group penalty (weight, 0 off)',
    step: 5,
    section: 'fairness',
    fairness: true,
  },
] as const;
export type AdvancedKey = (typeof ADVANCED_FIELDS)[number]['key'];

/** The Advanced panel's headings, in order; each field and choice names its own. */
export const ADVANCED_SECTIONS = [
  { id: 'training', title: 'Training' },
  { id: 'model', title: 'Attention model' },
  { id: 'connectome', title: 'Connectome token' },
  { id: 'fairness', title: 'Fairness terms' },
] as const;

/** Settings chosen from a list; the fairness terms' options only act in the variants that have those terms. */
export const SETTING_CHOICES = [
  {
    key: 'connectomeMeasure',
    section: 'connectome',
    label: 'Connectivity it reads (logistic regression’s too)',
    fairness: false,
    alsoLogistic: true,
    options: [
      {
        value: 'tangent',
        label: `tangent space at the training subjects’ mean (correlations shrunk by ${TANGENT_SHRINKAGE}, then whitened and log-mapped)`,
      },
      { value: 'correlation', label: 'Fisher-z correlations, as stored' },
    ],
  },
  {
    key: 'motionAdjustment',
    section: 'training',
    label: 'Head motion (mean FD) in the predictions (logistic regression’s too)',
    fairness: false,
    alsoLogistic: true,
    options: [
      {
        value: 'true',
        label:
          'taken away: the patient log-odds’ slope on motion within each diagnosis, from cross-fitted training scores (needs a readout fitted first)',
      },
      { value: 'false', label: 'left in' },
    ],
  },
  {
    key: 'motionErasure',
    section: 'training',
    label: 'Head motion in the attention embedding',
    fairness: false,
    options: [
      {
        value: 'true',
        label: 'erased after training: the directions along which it follows motion within each diagnosis over the training subjects',
      },
      { value: 'false', label: 'left in' },
    ],
  },
  {
    key: 'connectomeOptimiser',
    section: 'connectome',
    label: 'Optimiser of its weights',
    fairness: false,
    options: [
      { value: 'sgd', label: 'SGD with momentum (steps in proportion to each gradient)' },
      { value: 'adamw', label: 'AdamW, like the other weights' },
      {
        value: 'converged',
        label: 'Fitted first: penalised logistic regression to convergence, then held fixed (needs the linear readout and an L2 penalty)',
      },
    ],
  },
  {
    key: 'connectomeReadout',
    section: 'connectome',
    label: 'How it enters the prediction',
    fairness: false,
    options: [
      { value: 'logit', label: 'its own linear term in the logits (penalised by the L2 penalty above)' },
      { value: 'embedding', label: 'added to the attention embedding' },
    ],
  },
  {
    key: 'pathwayCentring',
    section: 'connectome',
    label: 'Beside a readout fitted first, the attention pathway’s share of the prediction',
    fairness: false,
    options: [
      { value: 'true', label: 'centred on the training subjects, so that the readout sets where the scores sit' },
      { value: 'false', label: 'as trained' },
    ],
  },
  {
    key: 'regionNorm',
    section: 'model',
    label: 'Region tokens’ input',
    fairness: false,
    options: [
      { value: 'none', label: 'raw Fisher-z rows' },
      { value: 'siteMatched', label: 'site-harmonised: each connection matched to the training subjects’ mean and SD' },
      { value: 'siteZ', label: 'each connection z-scored within its site' },
      { value: 'edgeZ', label: 'each connection z-scored over the training subjects' },
      { value: 'same', label: 'as the connectome token’s input' },
    ],
  },
  {
    key: 'memberValidation',
    section: 'training',
    label: 'Early stopping of ensemble members',
    fairness: false,
    options: [
      { value: 'own', label: 'each on its own validation subjects' },
      { value: 'separate', label: 'each apart on the fold’s validation subjects' },
      { value: 'shared', label: 'together on the fold’s validation subjects' },
    ],
  },
  {
    key: 'earlyStopping',
    section: 'training',
    label: 'Early stopping',
    fairness: false,
    options: [
      { value: 'true', label: 'on the validation AUC, with patience (best epoch kept)' },
      { value: 'false', label: 'off: every epoch, last weights kept' },
    ],
  },
  {
    key: 'covariateAdjustment',
    section: 'fairness',
    label: 'Sensitive attributes in the input',
    fairness: true,
    options: [
      { value: 'site', label: 'site regressed out (diagnosis kept)' },
      { value: 'sensitive', label: 'all regressed out (diagnosis kept)' },
      { value: 'none', label: 'left in' },
    ],
  },
  {
    key: 'disentangleTarget',
    section: 'fairness',
    label: 'Keep the diagnosis attention away from',
    fairness: true,
    options: [
      { value: 'own', label: 'the subject’s own group token’s attention' },
      { value: 'pooled', label: 'the mean attention of each attribute’s tokens' },
    ],
  },
  {
    key: 'sensitiveInput',
    section: 'fairness',
    label: 'Negative gradient: the sensitive tokens read',
    fairness: true,
    options: [
      { value: 'own', label: 'their own attention’s embedding (spec)' },
      { value: 'prediction', label: 'the embedding the diagnosis is predicted from' },
      { value: 'both', label: 'both' },
    ],
  },
  {
    key: 'embeddingPenaltyScale',
    section: 'fairness',
    label: 'Embedding group penalty: each attribute weighs',
    fairness: true,
    options: [
      { value: 'share', label: 'its groups’ share of the variance (R²)' },
      { value: 'chance', label: 'that share over its level under shuffled group labels' },
    ],
  },
  {
    key: 'embeddingPenaltyEstimate',
    section: 'fairness',
    label: 'Embedding group penalty: the group differences of',
    fairness: true,
    options: [
      { value: 'batch', label: 'each batch alone (squared)' },
      { value: 'training', label: 'each batch, projected on the groups’ offsets over the training subjects' },
      { value: 'discriminant', label: 'each batch, projected on the groups’ discriminant directions over the training subjects' },
    ],
  },
  {
    key: 'offsetShrinkage',
    section: 'fairness',
    label: 'Group offsets of an attribute with three groups or more (sites, age groups)',
    fairness: true,
    options: [
      { value: 'true', label: 'shrunk towards 0 by their sampling noise, so that a small group’s offset is trusted less' },
      { value: 'false', label: 'as estimated' },
    ],
  },
  {
    key: 'offsetCriterion',
    section: 'fairness',
    label: 'Each group offset equalises with all training subjects',
    fairness: true,
    options: [
      { value: 'means', label: 'its mean score within each diagnosis' },
      { value: 'rates', label: 'its true- plus false-positive rate at the threshold (the smallest equalised-odds gap a shift gives)' },
    ],
  },
  {
    key: 'fairConditioning',
    section: 'fairness',
    label: 'Negative-gradient contrast',
    fairness: true,
    options: [
      { value: 'dx', label: 'within each diagnosis' },
      { value: 'none', label: 'over the whole batch' },
    ],
  },
] as const;
export type ChoiceKey = (typeof SETTING_CHOICES)[number]['key'];

const WITH_FAIRNESS_TERMS = new Set(['neurolip', 'neurolip-v1']);

/**
 * The chosen variants a setting acts in: those with fairness terms for a fairness setting, else every
 * neural one, and logistic regression too for a setting it reads (alsoLogistic).
 */
function variantsUsing(variants: string[], fairness: boolean, alsoLogistic = false): string[] {
  return variants.filter((v) => (fairness ? WITH_FAIRNESS_TERMS.has(v) : alsoLogistic || v !== 'logreg-fc'));
}

const notUsedText = (fairness: boolean): string => (fairness ? 'not used without fairness terms' : 'not used by logistic regression');

/** What a blank choice means for the chosen variants, in the options' words. */
export function choiceDefaultText(variants: string[], key: ChoiceKey): string {
  const choice = SETTING_CHOICES.find((c) => c.key === key)!;
  const users = variantsUsing(variants, choice.fairness, 'alsoLogistic' in choice && choice.alsoLogistic);
  if (users.length === 0) return notUsedText(choice.fairness);
  const words = users.map((v) => {
    const own = (VARIANT_DEFAULTS[v as keyof typeof VARIANT_DEFAULTS] as Record<string, unknown>)[key] ?? SPEC_DEFAULTS[key];
    return choice.options.find((o) => o.value === String(own))?.label ?? String(own);
  });
  if (words.every((w) => w === words[0])) return `blank: default ${words[0]}`;
  return `blank: ${users.map((v, i) => `${v} ${words[i]}`).join(', ')}`;
}

/** A choice's helper text for the chosen cohort: what a blank means, and for the motion settings whether the cohort can have them. */
export function choiceHelperText(variants: string[], key: ChoiceKey, cohort: { withMotion: number } | undefined): string {
  const text = choiceDefaultText(variants, key);
  return (key === 'motionAdjustment' || key === 'motionErasure') && cohort?.withMotion === 0
    ? `${text}; this cohort has no mean FD, so its runs are not adjusted`
    : text;
}

/** The Train page's settings as a run's configuration: a yes/no choice ('true' or 'false') becomes a boolean. */
export function configFromSettings(settings: Readonly<Record<string, number | string>>): Record<string, number | string | boolean> {
  return Object.fromEntries(
    Object.entries(settings).map(([key, value]) => [key, value === 'true' ? true : value === 'false' ? false : value]),
  );
}

/** A variant's default for a field: its own (docs/model.md), else the v1 spec's. */
export function variantDefault(variant: string, key: AdvancedKey): number {
  const own = VARIANT_DEFAULTS[variant as keyof typeof VARIANT_DEFAULTS] as Partial<Record<AdvancedKey, number>> | undefined;
  return own?.[key] ?? SPEC_DEFAULTS[key];
}

/**
 * What a blank field means for the chosen variants that use it: "default 64", or each variant's when
 * they differ; a fairness weight counts only for the variants with fairness terms.
 */
export function defaultsText(variants: string[], key: AdvancedKey): string {
  const field = ADVANCED_FIELDS.find((f) => f.key === key)!;
  const fairness = 'fairness' in field && field.fairness;
  const users = variantsUsing(variants, fairness);
  const values = users.map((v) => variantDefault(v, key));
  if (values.length === 0) return notUsedText(fairness);
  if (values.every((v) => v === values[0])) return `blank: default ${values[0]}`;
  return `blank: ${users.map((v, i) => `${v} ${values[i]}`).join(', ')}`;
}

/**
 * What the chosen variants' default ensemble members set for themselves (a mixed ensemble), in one
 * sentence per group of variants with the same settings; null when none of them has any.
 */
export function memberSettingsText(variants: string[]): string | null {
  const groups = new Map<string, string[]>();
  for (const v of variants) {
    const members = VARIANT_DEFAULTS[v as keyof typeof VARIANT_DEFAULTS]?.memberSettings ?? [];
    const own = memberSettingPairs(members).map(({ member, pairs }) => `member ${member}: ${pairs}`);
    if (own.length === 0) continue;
    const key = own.join('; ');
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  if (groups.size === 0) return null;
  const sentences = [...groups].map(([text, names]) => `${namesInWords(names)} by default train a mixed ensemble, ${text}.`);
  return `${sentences.join(' ')} Fewer ensemble members drop the later members' settings (1: the attention model alone).`;
}

/**
 * The mixed ensemble's linear member (member 2 of neurolip and neurolip-nofair: the readout fitted
 * first, beside the attention model): the settings of its own the Train page can change. Its readout
 * and optimiser are what make it that member, so they stay.
 */
export const LINEAR_MEMBER_FIELDS = [
  { key: 'connectomePenalty', label: 'Its readout’s L2 penalty λ', step: 0.5 },
  { key: 'predictionWeight', label: 'Its weight in the ensemble’s prediction', step: 0.5 },
  { key: 'learningRate', label: 'Learning rate of its attention pathway', step: 0.0001 },
] as const;
export type LinearMemberKey = (typeof LINEAR_MEMBER_FIELDS)[number]['key'];

/** A variant's default ensemble members' own settings (empty for a variant without a mixed ensemble). */
function defaultMembers(variant: string): readonly Readonly<Record<string, number | string | boolean>>[] {
  return VARIANT_DEFAULTS[variant as keyof typeof VARIANT_DEFAULTS]?.memberSettings ?? [];
}

/** How many members a run of the variant trains with the form's settings. */
function ensembleSize(variant: string, settings: Readonly<Record<string, number | string>>): number {
  return Number(settings.ensemble ?? VARIANT_DEFAULTS[variant as keyof typeof VARIANT_DEFAULTS]?.ensemble ?? 1);
}

/** The linear member's default for one of its fields (the same for every variant that has it). */
export function linearMemberDefault(key: LinearMemberKey): number {
  return Number(defaultMembers('neurolip')[1]?.[key]);
}

/**
 * A run's memberSettings from the form: the variant's default members with the linear member's
 * changed fields; nothing (each variant's default) when no field changed, the variant has no
 * linear member, or the run trains one member only.
 */
export function linearMemberFor(
  variant: string,
  changed: Partial<Record<LinearMemberKey, string>>,
  settings: Readonly<Record<string, number | string>>,
): { memberSettings?: Record<string, number | string | boolean>[] } {
  const members = defaultMembers(variant);
  const given = Object.entries(changed).filter(([, value]) => value !== undefined && value !== '');
  if (members.length < 2 || given.length === 0 || ensembleSize(variant, settings) < 2) return {};
  const own = Object.fromEntries(given.map(([key, value]) => [key, Number(value)]));
  return { memberSettings: members.map((member, m) => (m === 1 ? { ...member, ...own } : { ...member })) };
}

/** The line under the linear member's fields: which chosen variants train it, or why none does. */
export function linearMemberText(variants: string[], settings: Readonly<Record<string, number | string>>): string {
  const users = variants.filter((v) => defaultMembers(v).length >= 2);
  if (users.length === 0) return 'Not used by these variants: only neurolip and neurolip-nofair train a linear member.';
  if (users.every((v) => ensembleSize(v, settings) < 2))
    return 'Not used with one ensemble member: the fitted linear member is the second.';
  return `Used by ${namesInWords(users)}: member 2, the connectome readout fitted first beside the attention model. Blank: its default.`;
}

/** The variants whose default prediction is offset per group (readoutOffsets): the mixed ensemble's. */
function offsetVariants(variants: string[]): string[] {
  return variants.filter((v) => VARIANT_DEFAULTS[v as keyof typeof VARIANT_DEFAULTS]?.readoutOffsets !== undefined);
}

/** The default group offsets among the chosen sensitive attributes (the same for every variant that has them). */
export function defaultOffsets(sensitive: string[]): string[] {
  return (VARIANT_DEFAULTS.neurolip.readoutOffsets ?? []).filter((name) => sensitive.includes(name));
}

/**
 * A run's readoutOffsets from the form: only when the user changed the ticks (null keeps each
 * variant's default), and only for a variant that has them by default, trained with its linear
 * member (not as one model, which offsetsText says); other runs get none.
 */
export function offsetsFor(
  variant: string,
  chosen: string[] | null,
  sensitive: string[],
  settings: Readonly<Record<string, number | string>>,
): { readoutOffsets?: string[] } {
  if (chosen === null || settings.ensemble === 1 || offsetVariants([variant]).length === 0) return {};
  return { readoutOffsets: chosen.filter((name) => sensitive.includes(name)) };
}

/** Which chosen variants offset their prediction per group, with the settings chosen, in words. */
export function offsetsText(variants: string[], settings: Readonly<Record<string, number | string>>): string {
  const users = offsetVariants(variants);
  if (users.length === 0) return 'Not used by these variants: the offsets are estimated on the mixed ensemble’s fitted linear member.';
  if (settings.ensemble === 1) return 'Not used with one ensemble member: the fitted linear member is the second.';
  const fair = users.filter((v) => WITH_FAIRNESS_TERMS.has(v));
  if (fair.length === 0) return `Not used by ${namesInWords(users)}: fairness machinery.`;
  return `Used by ${namesInWords(fair)}: the patient logit moves by each group’s offset, estimated on the linear member’s cross-fitted scores (equalised odds); a site left out of training is centred on its own predictions instead.${users.length > fair.length ? ' neurolip-nofair drops it.' : ''}`;
}

/** The default erased attributes among the chosen sensitive attributes (neurolip's; neurolip-v1 erases none by default). */
export function defaultErasure(sensitive: string[]): string[] {
  return (VARIANT_DEFAULTS.neurolip.erasedAttributes ?? []).filter((name) => sensitive.includes(name));
}

/** A run's erasedAttributes from the form: only when the user changed the ticks (null keeps each variant's default), and only for a variant with fairness terms. */
export function erasureFor(variant: string, chosen: string[] | null, sensitive: string[]): { erasedAttributes?: string[] } {
  if (chosen === null || !WITH_FAIRNESS_TERMS.has(variant)) return {};
  return { erasedAttributes: chosen.filter((name) => sensitive.includes(name)) };
}

/** Which chosen variants erase group differences from their embedding, in words. */
export function erasureText(variants: string[]): string {
  const fair = variants.filter((v) => WITH_FAIRNESS_TERMS.has(v));
  if (fair.length === 0) return 'Not used by these variants: fairness machinery.';
  const v1 = fair.includes('neurolip-v1') ? ' By default neurolip-v1 erases none.' : '';
  const nofair = variants.includes('neurolip-nofair') ? ' neurolip-nofair drops it.' : '';
  return `Used by ${namesInWords(fair)}: after training, the directions along which the ticked groups’ means differ within each diagnosis are erased from the embedding the diagnosis is read from.${v1}${nofair}`;
}

/** `list` with `value` added, or removed if it was there: a tick box's new state. */
export function toggled(list: string[], value: string): string[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

export const VARIANTS = [
  { id: 'neurolip', label: 'NeuroLIP' },
  { id: 'neurolip-v1', label: 'NeuroLIP v1 (baseline spec)' },
  { id: 'neurolip-nofair', label: 'NeuroLIP without fairness terms' },
  { id: 'clip-global', label: 'CLIP, global brain embedding' },
  { id: 'logreg-fc', label: 'Logistic regression on connectivity' },
] as const;

const BUILT_IN_LABELS: Record<string, string> = { sex: 'Sex', ageGroup: 'Age group (<12, 12-17, ≥18)', site: 'Site' };

/** Sex, age group and site, which every cohort derives from its mapped columns; the rest are the cohort's own phenotype columns. */
export const isDerivedAttribute = (name: string): boolean => name in BUILT_IN_LABELS;

/** Whether an attribute has two or more groups in the cohort, so that there is something to compare. */
export const hasGroupsToCompare = (option: SensitiveAttributeOption): boolean => option.groups.length >= 2;

/** How the form names a sensitive attribute: the derived ones in words, any other phenotype column by its name. */
export function sensitiveLabel(name: string): string {
  return BUILT_IN_LABELS[name] ?? name;
}

export const MAX_REPEATS = 10;

/** The seeds of `repeats` repeated runs from `first` on; empty when `repeats` is not a whole number from 1 to MAX_REPEATS. */
export function repeatSeeds(first: number, repeats: number): number[] {
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > MAX_REPEATS) return [];
  return Array.from({ length: repeats }, (_, k) => first + k);
}
