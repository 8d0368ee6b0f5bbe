/**
 * How long a job has left, from how long the part it did since its clock started took: `fraction`
 * is done in all, `alreadyDone` of it before the clock started (a resumed run's stored folds).
 * Null until 2 % more is done, when the estimate is mostly start-up time.
 */
export function secondsLeft(elapsedSeconds: number, fraction: number | null, alreadyDone = 0): number | null {
  if (fraction === null) return null;
  const doneHere = fraction - alreadyDone;
  if (doneHere < 0.02) return null;
  return Math.max(0, (elapsedSeconds * (1 - fraction)) / doneHere);
}

/** "about 40 s left", "about 12 min left", "about 2 h 05 min left"; empty while unknown. */
export function timeLeftText(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 60) return `about ${Math.ceil(seconds)} s left`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return `about ${minutes} min left`;
  return `about ${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min left`;
}
