import { SeededRandom } from '../synth/random';

export const METRIC_NAMES = ['acc', 'balancedAcc', 'auc', 'f1', 'sensitivity', 'specificity'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];
export type Metrics = Record<MetricName, number>;

/** Area under the ROC curve (Mann-Whitney, ties averaged); NaN without both classes. */
export function auc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j += 1;
    for (let k = i; k <= j; k += 1) ranks[order[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; i += 1) {
    if (labels[i] === 1) {
      positives += 1;
      rankSum += ranks[i]!;
    }
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Classification metrics at a threshold: a subject is predicted positive when p > threshold. */
export function classificationMetrics(labels: ArrayLike<number>, scores: ArrayLike<number>, threshold = 0.5): Metrics {
  let tp = 0;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i += 1) {
    const predicted = scores[i]! > threshold;
    if (labels[i] === 1) {
      if (predicted) tp += 1;
      else fn += 1;
    } else if (predicted) fp += 1;
    else tn += 1;
  }
  const sensitivity = tp + fn ? tp / (tp + fn) : Number.NaN;
  const specificity = tn + fp ? tn / (tn + fp) : Number.NaN;
  return {
    acc: (tp + tn) / labels.length,
    balancedAcc: (sensitivity + specificity) / 2,
    auc: auc(labels, scores),
    f1: tp + fp + fn ? (2 * tp) / (2 * tp + fp + fn) : Number.NaN,
    sensitivity,
    specificity,
  };
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

export interface WithCi {
  value: number;
  ciLow: number;
  ciHigh: number;
}

/** Each metric with a 95 % percentile bootstrap interval over subjects (seeded; NaN draws ignored). */
export function metricsWithCi(labels: number[], scores: number[], samples = 1000, seed = 0): Record<MetricName, WithCi> {
  const point = classificationMetrics(labels, scores);
  const random = new SeededRandom(seed);
  const draws: Record<MetricName, number[]> = Object.fromEntries(METRIC_NAMES.map((name) => [name, []])) as unknown as Record<
    MetricName,
    number[]
  >;
  const n = labels.length;
  const y = new Array<number>(n);
  const s = new Array<number>(n);
  for (let b = 0; b < samples; b += 1) {
    for (let i = 0; i < n; i += 1) {
      const pick = random.int(n);
      y[i] = labels[pick]!;
      s[i] = scores[pick]!;
    }
    const m = classificationMetrics(y, s);
    for (const name of METRIC_NAMES) if (Number.isFinite(m[name])) draws[name].push(m[name]);
  }
  return Object.fromEntries(
    METRIC_NAMES.map((name) => {
      const sorted = draws[name].sort((a, b) => a - b);
      return [name, { value: point[name], ciLow: percentile(sorted, 0.025), ciHigh: percentile(sorted, 0.975) }];
    }),
  ) as Record<MetricName, WithCi>;
}

/** Mean and sample SD (n - 1) of the finite values. */
export function meanSd(values: number[]): { mean: number; sd: number } {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { mean: Number.NaN, sd: Number.NaN };
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const sd = finite.length > 1 ? Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / (finite.length - 1)) : Number.NaN;
  return { mean, sd };
}
