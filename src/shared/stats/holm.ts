/**
 * Holm's step-down adjustment of several p-values for their family: sorted ascending, the k-th
 * smallest (from 0) becomes max over j ≤ k of (m − j) p_(j), capped at 1, for m the p-values given.
 * Rejecting where the adjusted value is at most alpha controls the chance of any false rejection
 * at alpha, with no assumption about how the tests depend on each other. Null entries (no test)
 * stay null and do not count in m.
 */
export function holmAdjusted(ps: readonly (number | null)[]): (number | null)[] {
  const order = ps.flatMap((p, i) => (p === null ? [] : [i])).sort((a, b) => ps[a]! - ps[b]!);
  const adjusted: (number | null)[] = ps.map(() => null);
  let running = 0;
  order.forEach((i, k) => {
    running = Math.max(running, Math.min(1, (order.length - k) * ps[i]!));
    adjusted[i] = running;
  });
  return adjusted;
}
