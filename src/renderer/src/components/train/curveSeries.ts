import type { EpochPoint } from '../../../../shared/api';

export interface Series {
  label: string;
  /** One value per epoch (index 0 = epoch 1); null where nothing was recorded. */
  data: (number | null)[];
}

export interface CurveSeries {
  epochs: number;
  /** Each loss term (total first, then L_dx, L_dx_ttca, L_<attribute>..., the penalties, L_dis), averaged over the folds that reached the epoch. */
  lossTerms: Series[];
  /** Per sensitive attribute: share of the epoch's batches whose reversal gate was open, averaged over folds. */
  gates: Series[];
  /** Validation AUC, one series per fold. */
  valAuc: Series[];
}

/**
 * Total first, then the diagnosis terms (L_dx, then L_dx_ttca, the attention-only one), the sensitive
 * attributes, the fairness penalties on the scores and the embedding, L_dis.
 */
const TERM_ORDER: Record<string, number> = { loss: 0, L_dx: 1, L_dx_ttca: 1.5, L_odds: 2.5, L_embedding: 2.6, L_dis: 3 };
const termOrder = (term: string): number => TERM_ORDER[term] ?? 2;

/** Mean of each term per epoch over the folds that reached it. */
function meanOverFolds(points: EpochPoint[], epochs: number, terms: string[], label: (term: string) => string): Series[] {
  return terms.map((term) => {
    const sums = new Array<number>(epochs).fill(0);
    const counts = new Array<number>(epochs).fill(0);
    for (const point of points) {
      const value = point.terms[term];
      if (value === undefined || !Number.isFinite(value)) continue;
      sums[point.epoch]! += value;
      counts[point.epoch]! += 1;
    }
    return { label: label(term), data: sums.map((sum, e) => (counts[e] ? sum / counts[e]! : null)) };
  });
}

/** The live and stored training curves' series from a run's epoch points (any order, folds interleaved). */
export function curveSeries(points: EpochPoint[]): CurveSeries {
  const epochs = points.reduce((max, p) => Math.max(max, p.epoch + 1), 0);
  const names = [...new Set(points.flatMap((p) => Object.keys(p.terms)))];
  const lossTerms = names
    .filter((t) => t === 'loss' || t.startsWith('L_'))
    .sort((a, b) => termOrder(a) - termOrder(b) || a.localeCompare(b));
  const gates = names.filter((t) => t.startsWith('gate_')).sort();
  const folds = [...new Set(points.map((p) => p.fold))].sort((a, b) => a - b);
  return {
    epochs,
    lossTerms: meanOverFolds(points, epochs, lossTerms, (t) => (t === 'loss' ? 'total loss' : t)),
    gates: meanOverFolds(points, epochs, gates, (t) => t.slice('gate_'.length)),
    valAuc: folds.map((fold) => {
      const data = new Array<number | null>(epochs).fill(null);
      for (const p of points) if (p.fold === fold) data[p.epoch] = p.valAuc;
      return { label: `fold ${fold + 1}`, data };
    }),
  };
}

/** Stored epochs and streamed ones as one list: a streamed point replaces the stored one of the same fold and epoch. */
export function mergeEpochPoints(stored: EpochPoint[], streamed: EpochPoint[]): EpochPoint[] {
  const byKey = new Map<string, EpochPoint>();
  for (const point of [...stored, ...streamed]) byKey.set(`${point.fold}:${point.epoch}`, point);
  return [...byKey.values()];
}
