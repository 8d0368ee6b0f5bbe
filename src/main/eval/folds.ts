import { NumpyRandomState } from './numpyRandomState';
import { SeededRandom } from '../synth/random';
import { CohortDataError } from '../train/cohortDataError';

export interface Fold {
  name: string;
  /** Subject positions (into the cohort's subject list, sorted by external id). */
  train: number[];
  test: number[];
}

/** Sorted distinct values, as numpy.unique gives them for strings (code-point order). */
function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Stratified K-fold, identical to scikit-learn's `StratifiedKFold(k, shuffle=True,
 * random_state=seed)` given the same labels in the same order: classes are numbered in order of
 * first appearance, fold sizes are allocated from the sorted class numbers, then each class's fold
 * numbers are shuffled with NumPy's RandomState(seed).
 */
export function stratifiedKFold(labels: string[], k: number, seed: number): Fold[] {
  const classes = [...new Set(labels)];
  const encoded = labels.map((label) => classes.indexOf(label));
  const sorted = [...encoded].sort((a, b) => a - b);
  // allocation[f][c]: how many of class c go to fold f.
  const allocation = Array.from({ length: k }, (_, f) => {
    const counts = new Array<number>(classes.length).fill(0);
    for (let i = f; i < sorted.length; i += k) counts[sorted[i]!]! += 1;
    return counts;
  });
  const random = new NumpyRandomState(seed);
  const testFold = new Array<number>(labels.length);
  classes.forEach((_, c) => {
    const foldsForClass = allocation.flatMap((counts, f) => new Array<number>(counts[c]!).fill(f));
    random.shuffle(foldsForClass);
    let next = 0;
    encoded.forEach((code, i) => {
      if (code === c) testFold[i] = foldsForClass[next++]!;
    });
  });
  return Array.from({ length: k }, (_, f) => ({
    name: `fold${f}`,
    train: labels.map((_, i) => i).filter((i) => testFold[i] !== f),
    test: labels.map((_, i) => i).filter((i) => testFold[i] === f),
  }));
}

/** The distinct sites of the subjects' (or groups') sites, sorted; refuses fewer than two, which leave-one-site-out needs. */
export function sitesToLeaveOut(sites: (string | null)[]): string[] {
  const names = sortedUnique(sites.filter((s): s is string => s !== null));
  if (names.length >= 2) return names;
  const found = names.length === 1 ? `every subject of this cohort is from ${names[0]}` : 'no subject of this cohort has a site';
  throw new CohortDataError(`Leave one site out needs subjects from at least two sites, and ${found}. Choose stratified 5-fold.`);
}

/** The fewest subjects of each diagnosis a protocol trains on: with fewer, 5-fold has folds that test one diagnosis only. */
export const MIN_DIAGNOSIS_SUBJECTS = 5;

/**
 * Refuses a cohort with too few subjects of a diagnosis for the protocol, naming the counts:
 * 5-fold needs MIN_DIAGNOSIS_SUBJECTS patients and as many controls, so that every fold tests and
 * trains on both; leave one site out (which also needs two sites) needs that many of each among the
 * sites every fold trains on. `dx` is 1 for a patient, 0 for a control.
 */
export function checkDiagnosisCounts(
  dx: ArrayLike<number>,
  sites: (string | null)[],
  protocol: 'kfold5' | 'loso',
  labels: { control: string; patient: string },
): void {
  const counted = (keep: (i: number) => boolean) => {
    let patients = 0;
    let controls = 0;
    for (let i = 0; i < dx.length; i += 1) {
      if (!keep(i)) continue;
      if (dx[i] === 1) patients += 1;
      else controls += 1;
    }
    const short = Math.min(patients, controls) < MIN_DIAGNOSIS_SUBJECTS;
    return { short, text: `${patients} "${labels.patient}" and ${controls} "${labels.control}"` };
  };
  const all = counted(() => true);
  const needs = `at least ${MIN_DIAGNOSIS_SUBJECTS} subjects of each diagnosis`;
  if (protocol === 'kfold5') {
    if (all.short)
      throw new CohortDataError(
        `Stratified 5-fold needs ${needs}, so that every fold tests both, and this cohort has ${all.text}. Import more subjects of the smaller group.`,
      );
    return;
  }
  for (const site of sitesToLeaveOut(sites)) {
    const others = counted((i) => sites[i] !== site);
    if (others.short)
      throw new CohortDataError(
        `Leave one site out needs ${needs} among the sites each fold trains on, and without ${site} the other sites have ${others.text}. ` +
          (all.short ? 'Import more subjects of the smaller group.' : 'Choose stratified 5-fold.'),
      );
  }
}

/** One fold per site: train on every other site, test on it (subjects without a site are always trained on). */
export function leaveOneSiteOut(sites: (string | null)[]): Fold[] {
  return sitesToLeaveOut(sites).map((site) => ({
    name: site,
    train: sites.map((_, i) => i).filter((i) => sites[i] !== site),
    test: sites.map((_, i) => i).filter((i) => sites[i] === site),
  }));
}

/**
 * Holds out `fraction` of a training fold for early stopping, stratified by the given labels
 * (strata with fewer than 2 members are merged by `fallback`). Seeded, and the same for every
 * variant.
 */
export function validationSplit(
  train: number[],
  labels: string[],
  fallback: string[],
  fraction: number,
  seed: number,
): { fit: number[]; validation: number[] } {
  const counts = new Map<string, number>();
  for (const i of train) counts.set(labels[i]!, (counts.get(labels[i]!) ?? 0) + 1);
  const stratum = (i: number): string => ((counts.get(labels[i]!) ?? 0) < 2 ? `${fallback[i]}|rare` : labels[i]!);
  const random = new SeededRandom(seed);
  const validation = new Set<number>();
  const groups = new Map<string, number[]>();
  for (const i of train) groups.set(stratum(i), [...(groups.get(stratum(i)) ?? []), i]);
  for (const members of groups.values()) {
    const take = Math.round(members.length * fraction);
    for (const position of random.permutation(members.length).slice(0, take)) validation.add(members[position]!);
  }
  return { fit: train.filter((i) => !validation.has(i)), validation: train.filter((i) => validation.has(i)) };
}
