/** ROC curve points (false-positive rate, true-positive rate), from the highest threshold down; ties form one step. */
export function rocPoints(labels: number[], scores: number[]): { fpr: number; tpr: number }[] {
  const positives = labels.filter((l) => l === 1).length;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return [];
  const order = scores.map((s, i) => [s, labels[i]!] as const).sort((a, b) => b[0] - a[0]);
  const points = [{ fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < order.length; i += 1) {
    if (order[i]![1] === 1) tp += 1;
    else fp += 1;
    if (i === order.length - 1 || order[i + 1]![0] !== order[i]![0]) points.push({ fpr: fp / negatives, tpr: tp / positives });
  }
  return points;
}

/** Counts at a threshold: predicted patient when p > threshold. */
export function confusion(labels: number[], scores: number[], threshold = 0.5): { tp: number; fn: number; fp: number; tn: number } {
  const counts = { tp: 0, fn: 0, fp: 0, tn: 0 };
  labels.forEach((label, i) => {
    const predicted = scores[i]! > threshold;
    if (label === 1) counts[predicted ? 'tp' : 'fn'] += 1;
    else counts[predicted ? 'fp' : 'tn'] += 1;
  });
  return counts;
}
