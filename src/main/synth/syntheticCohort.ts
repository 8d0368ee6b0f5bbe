import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBuiltinAtlas } from '../cohort/atlas/builtinAtlases';
import { SeededRandom } from './random';

export interface SyntheticOptions {
  subjects: number;
  /** ROIs, placed on the first R regions of AAL116 (at most 116). */
  rois: number;
  timePoints: number;
  seed: number;
}

export const DEFAULT_SYNTHETIC: SyntheticOptions = { subjects: 300, rois: 116, timePoints: 150, seed: 0 };

/** The planted truth, written to truth.json and stored with the cohort. */
export interface GroundTruth {
  generator: 'neurolip-synthetic-v1';
  options: SyntheticOptions;
  atlas: 'aal116';
  /** ROI indices (0-based, in the files' column order) whose within-set correlation diagnosis lowers. */
  pDx: number[];
  /** ROI indices whose within-set correlation is higher in females. Disjoint from pDx. */
  pSex: number[];
  pDxLabels: string[];
  pSexLabels: string[];
  effects: {
    dxLoadingControl: number;
    dxLoadingPatient: number;
    sexLoadingMale: number;
    sexLoadingFemale: number;
    networkLoading: number;
    ar1: number;
  };
  networks: number[];
  sites: { name: string; noise: number; meanAge: number }[];
  demographics: {
    maleFraction: number;
    pPatientGivenMale: number;
    pPatientGivenFemale: number;
    missingAgeFraction: number;
    constantRoiFraction: number;
  };
}

const EFFECTS = {
  dxLoadingControl: 0.48,
  dxLoadingPatient: 0.32,
  sexLoadingMale: 0.25,
  sexLoadingFemale: 0.6,
  networkLoading: 0.5,
  ar1: 0.5,
};
const DEMOGRAPHICS = {
  maleFraction: 0.72,
  pPatientGivenMale: 0.55,
  pPatientGivenFemale: 0.22,
  missingAgeFraction: 0.02,
  constantRoiFraction: 0.01,
};
const SITES = [
  { name: 'ALPHA', noise: 0.8, meanAge: 9 },
  { name: 'BRAVO', noise: 1.0, meanAge: 13 },
  { name: 'CHARLIE', noise: 1.2, meanAge: 16 },
  { name: 'DELTA', noise: 0.9, meanAge: 22 },
  { name: 'ECHO', noise: 1.1, meanAge: 28 },
  { name: 'FOXTROT', noise: 1.0, meanAge: 12 },
];
const NETWORKS = 7;

/** k-means of the ROI coordinates into `k` networks (deterministic for a seed). */
function networksOf(coordinates: [number, number, number][], k: number, random: SeededRandom): number[] {
  let centres = random
    .permutation(coordinates.length)
    .slice(0, k)
    .map((i) => coordinates[i]!);
  let assignment = new Array<number>(coordinates.length).fill(0);
  for (let iteration = 0; iteration < 50; iteration += 1) {
    assignment = coordinates.map((point) => {
      let best = 0;
      let bestDistance = Infinity;
      centres.forEach((centre, c) => {
        const distance = (point[0] - centre[0]) ** 2 + (point[1] - centre[1]) ** 2 + (point[2] - centre[2]) ** 2;
        if (distance < bestDistance) [best, bestDistance] = [c, distance];
      });
      return best;
    });
    centres = centres.map((centre, c) => {
      const members = coordinates.filter((_, i) => assignment[i] === c);
      if (members.length === 0) return centre;
      return [0, 1, 2].map((axis) => members.reduce((sum, m) => sum + m[axis]!, 0) / members.length) as [number, number, number];
    });
  }
  return assignment;
}

/** A unit-variance AR(1) series of length T. */
function ar1(random: SeededRandom, timePoints: number, phi: number): Float64Array {
  const series = new Float64Array(timePoints);
  const innovation = Math.sqrt(1 - phi * phi);
  series[0] = random.normal();
  for (let t = 1; t < timePoints; t += 1) series[t] = phi * series[t - 1]! + innovation * random.normal();
  return series;
}

/**
 * Writes a synthetic cohort with planted ground truth, in the PCP layout (a phenotype CSV and one
 * `<FILE_ID>_rois_aal.1D` per subject), so that the demo goes through the same importer as real data.
 * Each ROI's time course is a factor model: its network's factor, a diagnosis factor on P_dx
 * (loading lower in patients), a sex factor on P_sex (loading higher in females), a site factor
 * with site-specific loadings, and site-specific noise; every factor is AR(1).
 */
export function writeSyntheticCohort(folder: string, options: SyntheticOptions): GroundTruth {
  const { subjects, rois, timePoints, seed } = options;
  const atlas = loadBuiltinAtlas('aal116');
  if (rois < 10 || rois > atlas.rois.length) throw new Error(`rois must be between 10 and ${atlas.rois.length}`);
  const random = new SeededRandom(seed);
  const regions = atlas.rois.slice(0, rois);
  const networks = networksOf(
    regions.map((roi) => [roi.x!, roi.y!, roi.z!]),
    NETWORKS,
    random,
  );
  const setSize = Math.round(0.1 * rois);
  const order = random.permutation(rois);
  const pDx = order.slice(0, setSize).sort((a, b) => a - b);
  const pSex = order.slice(setSize, 2 * setSize).sort((a, b) => a - b);
  const inDx = new Uint8Array(rois);
  const inSex = new Uint8Array(rois);
  for (const r of pDx) inDx[r] = 1;
  for (const r of pSex) inSex[r] = 1;
  const siteLoadings = SITES.map(() => Float64Array.from({ length: rois }, () => 0.3 * random.normal()));

  mkdirSync(folder, { recursive: true });
  const header = regions.map((roi) => `#${roi.code}`).join('\t');
  const phenotype = ['FILE_ID,SUB_ID,SITE_ID,DX_GROUP,SEX,AGE_AT_SCAN,func_mean_fd'];
  const values = new Float64Array(timePoints * rois);
  for (let i = 0; i < subjects; i += 1) {
    const siteIndex = random.int(SITES.length);
    const site = SITES[siteIndex]!;
    const male = random.next() < DEMOGRAPHICS.maleFraction;
    const patient = random.next() < (male ? DEMOGRAPHICS.pPatientGivenMale : DEMOGRAPHICS.pPatientGivenFemale);
    const age = Math.max(6, site.meanAge + 2.5 * random.normal());
    const ageMissing = random.next() < DEMOGRAPHICS.missingAgeFraction;
    const constantRoi = random.next() < DEMOGRAPHICS.constantRoiFraction ? random.int(rois) : -1;
    const meanFd = 0.05 + 0.1 * random.next();

    const networkFactors = Array.from({ length: NETWORKS }, () => ar1(random, timePoints, EFFECTS.ar1));
    const dxFactor = ar1(random, timePoints, EFFECTS.ar1);
    const sexFactor = ar1(random, timePoints, EFFECTS.ar1);
    const siteFactor = ar1(random, timePoints, EFFECTS.ar1);
    const dxLoading = patient ? EFFECTS.dxLoadingPatient : EFFECTS.dxLoadingControl;
    const sexLoading = male ? EFFECTS.sexLoadingMale : EFFECTS.sexLoadingFemale;
    const loadings = siteLoadings[siteIndex]!;
    for (let r = 0; r < rois; r += 1) {
      const noise = ar1(random, timePoints, EFFECTS.ar1);
      const network = networkFactors[networks[r]!]!;
      for (let t = 0; t < timePoints; t += 1) {
        let value = EFFECTS.networkLoading * network[t]! + loadings[r]! * siteFactor[t]! + site.noise * noise[t]!;
        if (inDx[r]) value += dxLoading * dxFactor[t]!;
        if (inSex[r]) value += sexLoading * sexFactor[t]!;
        values[t * rois + r] = r === constantRoi ? 0 : value;
      }
    }
    const fileId = `${site.name}_${String(i + 1).padStart(5, '0')}`;
    const rows = [header];
    for (let t = 0; t < timePoints; t += 1) {
      const cells: string[] = [];
      for (let r = 0; r < rois; r += 1) cells.push(values[t * rois + r]!.toFixed(4));
      rows.push(cells.join('\t'));
    }
    writeFileSync(join(folder, `${fileId}_rois_aal.1D`), `${rows.join('\n')}\n`);
    phenotype.push(
      [fileId, 100000 + i, site.name, patient ? 1 : 2, male ? 1 : 2, ageMissing ? -9999 : age.toFixed(2), meanFd.toFixed(4)].join(','),
    );
  }
  writeFileSync(join(folder, 'phenotype.csv'), `${phenotype.join('\n')}\n`);
  const truth: GroundTruth = {
    generator: 'neurolip-synthetic-v1',
    options,
    atlas: 'aal116',
    pDx,
    pSex,
    pDxLabels: pDx.map((r) => regions[r]!.label),
    pSexLabels: pSex.map((r) => regions[r]!.label),
    effects: EFFECTS,
    networks,
    sites: SITES,
    demographics: DEMOGRAPHICS,
  };
  writeFileSync(join(folder, 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
  return truth;
}
