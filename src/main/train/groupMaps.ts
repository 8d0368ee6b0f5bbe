import { mapOverlap, meanMap, precisionAtK, topK } from '../eval/attentionSummary';
import type { CohortData } from './cohortData';

export interface TopRoi {
  index: number;
  label: string;
  value: number;
}

export interface GroupMaps {
  /** Token -> mean map over the test subjects who carry it (out of fold); a token no test subject had in its fold has none. */
  groups: Record<string, number[]>;
  /** Patient-token map over patients minus control-token map over controls. */
  contrast: number[];
  topRois: Record<string, TopRoi[]>;
  /** BC overlap of the diagnosis map (own token) with each sensitive attribute's own-token map, where it has one. */
  overlap: Record<string, number>;
}

const TOP = 10;

/**
 * Whether a group's mean map exists: a group none of whose test subjects had its token in their
 * fold's vocabulary (every site in leave-one-site-out, where the test site has no site token) has
 * no own map, and so no group map.
 */
function hasMap(map: Float64Array): boolean {
  return !Number.isNaN(map[0]!);
}

/** Group maps of the diagnosis tokens and the sensitive tokens, from out-of-fold subject maps. */
export function groupMaps(data: CohortData, dxMaps: Float32Array, ownMaps: Record<string, Float32Array>, tested: number[]): GroupMaps {
  const r = data.rois;
  const patients = tested.filter((i) => data.dx[i] === 1);
  const controls = tested.filter((i) => data.dx[i] === 0);
  const tokenMap = (token: 0 | 1, rows: number[]): Float64Array => {
    const picked = new Float32Array(rows.length * r);
    rows.forEach((s, k) => picked.set(dxMaps.subarray(s * 2 * r + token * r, s * 2 * r + (token + 1) * r), k * r));
    return meanMap(
      picked,
      r,
      rows.map((_, k) => k),
    );
  };
  const patientMap = tokenMap(1, patients);
  const controlMap = tokenMap(0, controls);
  const ownDx = new Float32Array(data.dx.length * r).fill(Number.NaN);
  for (const s of tested) ownDx.set(dxMaps.subarray(s * 2 * r + data.dx[s]! * r, s * 2 * r + (data.dx[s]! + 1) * r), s * r);
  const groups: Record<string, number[]> = {
    [`dx:${data.labels.patient}`]: Array.from(patientMap),
    [`dx:${data.labels.control}`]: Array.from(controlMap),
  };
  const overlap: Record<string, number> = {};
  const dxOwnMean = meanMap(ownDx, r, tested);
  for (const [name, maps] of Object.entries(ownMaps)) {
    const values = [...new Set(tested.map((i) => data.attributes[name]![i]).filter((v): v is string => v !== null))].sort();
    for (const value of values) {
      const map = meanMap(
        maps,
        r,
        tested.filter((i) => data.attributes[name]![i] === value),
      );
      if (hasMap(map)) groups[`${name}:${value}`] = Array.from(map);
    }
    const attributeMean = meanMap(maps, r, tested);
    if (hasMap(attributeMean)) overlap[name] = mapOverlap(dxOwnMean, attributeMean);
  }
  const contrast = Array.from(patientMap, (v, k) => v - controlMap[k]!);
  const label = (index: number, value: number): TopRoi => ({ index, label: data.roiLabels[index] ?? `#${index + 1}`, value });
  const topRois: Record<string, TopRoi[]> = Object.fromEntries(
    Object.entries(groups).map(([token, map]) => [token, topK(map, TOP).map((i) => label(i, map[i]!))]),
  );
  topRois.contrast = topK(contrast.map(Math.abs), TOP).map((i) => label(i, contrast[i]!));
  return { groups, contrast, topRois, overlap };
}

/** For a synthetic cohort: precision@|P_dx| of each diagnosis map against the planted set. */
export function attentionRecovery(maps: GroupMaps, pDx: number[], labels: CohortData['labels']) {
  const patient = maps.groups[`dx:${labels.patient}`] ?? [];
  const control = maps.groups[`dx:${labels.control}`] ?? [];
  return {
    plantedRois: pDx.length,
    chance: pDx.length / maps.contrast.length,
    precisionAtK: {
      patientMap: precisionAtK(patient, pDx),
      controlMap: precisionAtK(control, pDx),
      absoluteContrast: precisionAtK(maps.contrast.map(Math.abs), pDx),
    },
  };
}
