/**
 * How long a job has left, from how long its done fraction took; null until 2 % is done, when the
 * estimate is mostly start-up time.
 */
export function secondsLeft(elapsedSeconds: number, fraction: number | null): number | null {
  if (fraction === null || fraction < 0.02) return null;
  return Math.max(0, (elapsedSeconds * (1 - fraction)) / fraction);
}

/** "about 40 s left", "about 12 min left", "about 2 h 05 min left"; empty while unknown. */
export function timeLeftText(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 60) return `about ${Math.ceil(seconds)} s left`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return `about ${minutes} min left`;
  return `about ${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min left`;
}
