/** Probabilities are kept this far from 0 and 1 before taking their log-odds. */
const EPSILON = 1e-7;

/** log(p / (1 - p)), with p kept within [EPSILON, 1 - EPSILON] so that 0 and 1 stay finite. */
export function logOdds(p: number): number {
  const q = Math.min(1 - EPSILON, Math.max(EPSILON, p));
  return Math.log(q / (1 - q));
}

/** The probability whose log-odds are p's moved by `shift`. */
export function shiftLogOdds(p: number, shift: number): number {
  return 1 / (1 + Math.exp(-(logOdds(p) + shift)));
}
