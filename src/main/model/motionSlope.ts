import { groupOffsets } from './groupOffsets';

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
 * The least-squares slope of `scores` (log-odds of training subjects, with no score from a fit to
 * convergence that saw its subject: those are cross-fitted) on `motion`, both centred within each diagnosis (1 patient, 0 control); subjects
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

/**
 * Per-group offsets of the subjects' motion, one array per attribute (indexed by group code), that
 * give every group of the attributes whose offsets move the scores (config.readoutOffsets) the same
 * mean motion within each diagnosis (groupOffsets' 'means' criterion, over the subjects with a
 * motion value). The slope is then fitted on motion plus these offsets: scores whose group means
 * were already equalised follow only the motion that varies within the groups, and motion that
 * still varies between them (one site moving more than another) would flatten the slope while its
 * score difference is already gone (Frisch, Waugh and Lovell: the slope of a regression with group
 * terms is the one of both sides freed of them).
 */
export function groupMotionOffsets(
  motion: ArrayLike<number>,
  dx: ArrayLike<number>,
  codes: Int32Array[],
  groups: number[],
): Float32Array[] {
  const known = Array.from({ length: dx.length }, (_, i) => i).filter((i) => Number.isFinite(motion[i]!));
  return groupOffsets(
    known.map((i) => motion[i]!),
    known.map((i) => dx[i]!),
    codes.map((code) => Int32Array.from(known, (i) => code[i]!)),
    groups,
  );
}

/**
 * A prediction's fitted motion adjustment: the slope and centre on motion moved by the motion offsets
 * of the groups whose readout offsets move the prediction.
 */
export interface MotionAdjustment extends MotionSlope {
  /** The vocabulary indices of those attributes (the readout offsets'). */
  attributes: number[];
  /** Per attribute, each group's motion offset (groupMotionOffsets). */
  offsets: Float32Array[];
}

/**
 * Fits the adjustment of log-odds `scores` given the subjects' token `codes` (attribute 0 the
 * diagnosis, 1 patient): the motion offsets of the groups of `attributes` (each with `groups[k]`
 * groups), then the slope on motion moved by them.
 */
export function fitMotionAdjustment(
  scores: ArrayLike<number>,
  codes: Int32Array[],
  motion: ArrayLike<number>,
  attributes: number[],
  groups: number[],
): MotionAdjustment {
  const dx = codes[0]!;
  const offsets = groupMotionOffsets(
    motion,
    dx,
    attributes.map((a) => codes[a]!),
    groups,
  );
  const grouped = { attributes, offsets };
  return { ...fitMotionSlope(scores, dx, movedMotion(grouped, motion, codes)), ...grouped };
}

/** What each subject's log-odds gain from the adjustment (motionShift of its moved motion; 0 without a motion value). */
export function motionShifts(adjustment: MotionAdjustment, motion: ArrayLike<number>, codes: Int32Array[]): Float32Array {
  return Float32Array.from(movedMotion(adjustment, motion, codes), (moved) => motionShift(adjustment, moved));
}

/** Each subject's motion plus its groups' motion offsets (a code of -1, missing, adds nothing). */
function movedMotion(
  { attributes, offsets }: Pick<MotionAdjustment, 'attributes' | 'offsets'>,
  motion: ArrayLike<number>,
  codes: Int32Array[],
): Float64Array {
  return Float64Array.from({ length: motion.length }, (_, i) =>
    attributes.reduce((moved, a, k) => (codes[a]![i]! >= 0 ? moved + offsets[k]![codes[a]![i]!]! : moved), motion[i]!),
  );
}

/** What a subject's log-odds gain from the adjustment: -slope (motion - centre); 0 without a motion value. */
export function motionShift(fitted: MotionSlope, motion: number): number {
  return Number.isFinite(motion) ? -fitted.slope * (motion - fitted.centre) : 0;
}
