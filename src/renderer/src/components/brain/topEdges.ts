import { cutoff, type Threshold } from './thresholds';
import { topK } from './topRois';

export interface Edge {
  from: number;
  to: number;
  /** The connectivity group difference (patients minus controls). */
  value: number;
}

/**
 * The strongest edges among the k ROIs with the largest |map value|: pairs whose |connectivity
 * difference| passes the threshold (a percentile is taken over the candidate pairs), strongest first.
 * `difference` is R x R row-major; only the upper triangle is read.
 */
export function topEdges(difference: ArrayLike<number>, rois: number, map: ArrayLike<number>, k: number, threshold: Threshold): Edge[] {
  const chosen = topK(Array.from(map, Math.abs), k).sort((a, b) => a - b);
  const candidates: Edge[] = [];
  for (let a = 0; a < chosen.length; a += 1) {
    for (let b = a + 1; b < chosen.length; b += 1) {
      const [from, to] = [chosen[a]!, chosen[b]!];
      const value = difference[from * rois + to]!;
      if (Number.isFinite(value)) candidates.push({ from, to, value });
    }
  }
  const cut = cutoff(
    candidates.map((e) => e.value),
    threshold,
  );
  return candidates.filter((e) => Math.abs(e.value) >= cut).sort((x, y) => Math.abs(y.value) - Math.abs(x.value));
}
