/** Named starting points for the training form; every value stays editable under Advanced. */
export const PRESETS = {
  quick: {
    label: 'Quick look (CPU, minutes)',
    config: { epochs: 15, patience: 5, d: 32, layers: 1, heads: 4, dropout: 0.1, batchSize: 64 },
  },
  full: { label: 'Full (paper-like)', config: { epochs: 100, patience: 20, d: 64, layers: 1, heads: 4, dropout: 0.1, batchSize: 64 } },
} as const;
export type PresetId = keyof typeof PRESETS;

export const ADVANCED_FIELDS = [
  { key: 'epochs', label: 'Epochs (max)', step: 1 },
  { key: 'patience', label: 'Early-stopping patience', step: 1 },
  { key: 'd', label: 'Width d', step: 8 },
  { key: 'layers', label: 'Encoder layers', step: 1 },
  { key: 'heads', label: 'Attention heads', step: 1 },
  { key: 'dropout', label: 'Dropout', step: 0.05 },
  { key: 'batchSize', label: 'Batch size', step: 8 },
  { key: 'learningRate', label: 'Learning rate', step: 0.0001 },
  { key: 'weightDecay', label: 'Weight decay', step: 0.0001 },
  { key: 'lambdaNeg', label: 'λ negative gradient', step: 0.1 },
  { key: 'lambdaDis', label: 'λ disentanglement', step: 0.05 },
  { key: 'seed', label: 'Seed', step: 1 },
] as const;

export const SPEC_DEFAULTS: Record<(typeof ADVANCED_FIELDS)[number]['key'], number> = {
  epochs: 100,
  patience: 20,
  d: 64,
  layers: 1,
  heads: 4,
  dropout: 0.1,
  batchSize: 64,
  learningRate: 0.001,
  weightDecay: 0.0001,
  lambdaNeg: 0.5,
  lambdaDis: 0.1,
  seed: 0,
};

export const VARIANTS = [
  { id: 'neurolip', label: 'NeuroLIP' },
  { id: 'neurolip-v1', label: 'NeuroLIP v1 (baseline spec)' },
  { id: 'neurolip-nofair', label: 'NeuroLIP without fairness terms' },
  { id: 'clip-global', label: 'CLIP, global brain embedding' },
  { id: 'logreg-fc', label: 'Logistic regression on connectivity' },
] as const;

const BUILT_IN_LABELS: Record<string, string> = { sex: 'Sex', ageGroup: 'Age group (<12, 12-17, ≥18)', site: 'Site' };

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
