/**
 * How a run's patient log-odds follow head motion within each diagnosis, and its removal
 * (config.motionAdjustment): patients move more in the scanner, and motion shapes connectivity, so a
 * model can score motion instead of the diagnosis. Regressing mean FD out of every connection does
 * not stop that (docs/model.md, "Head motion"); taking the scores' own within-diagnosis slope on
 * motion away at prediction does.
 */
export interface MotionSlope {
  /** Change of the log-odds per mm of mean framewise displacement, pooled within the diagnoses. */
  slope: number;
  /** The mean motion of the subjects it was estimated on: a subject moving that much is not moved. */
  centre: number;
}

/** The fewest subjects with a motion value in each diagnosis for a slope; with fewer it is 0. */
export const MIN_MOTION_SUBJECTS = 5;

/**
 * The least-squares slope of `scores` (log-odds, cross-fitted so that none comes from a fit that saw
 * its subject) on `motion`, both centred within each diagnosis (1 patient, 0 control); subjects
 * without a motion value (NaN) are left out. 0 where a diagnosis has fewer than MIN_MOTION_SUBJECTS
 * such subjects or their motion does not vary.
 */
export function fitMotionSlope(scores: ArrayLike<number>, dx: ArrayLike<number>, motion: ArrayLike<number>): MotionSlope {
  const known = Array.from({ length: dx.length }, (_, i) => i).filter((i) => Number.isFinite(motion[i]!));
  const classes = [0, 1].map((d) => known.filter((i) => dx[i] === d));
  const centre = known.reduce((sum, i) => sum + motion[i]!, 0) / Math.max(known.length, 1);
  if (classes.some((members) => members.length < MIN_MOTION_SUBJECTS)) return { slope: 0, centre };
  let cross = 0;
  let spread = 0;
  for (const members of classes) {
    const meanMotion = members.reduce((sum, i) => sum + motion[i]!, 0) / members.length;
    const meanScore = members.reduce((sum, i) => sum + scores[i]!, 0) / members.length;
    for (const i of members) {
      cross += (motion[i]! - meanMotion) * (scores[i]! - meanScore);
      spread += (motion[i]! - meanMotion) ** 2;
    }
  }
  // Rounding leaves a constant motion a spread of about 1e-30, not 0.
  return { slope: spread > 1e-12 ? cross / spread : 0, centre };
}

/** What a subject's log-odds gain from the adjustment: -slope (motion - centre); 0 without a motion value. */
export function motionShift(fitted: MotionSlope, motion: number): number {
  return Number.isFinite(motion) ? -fitted.slope * (motion - fitted.centre) : 0;
}
