import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Atlas, AtlasRoi } from './atlas';
import { labelVolumeRegions, readLabelLookup } from './niftiAtlas';

/** FSL's HarvardOxford-Cortical.xml, in label-value order (1..48). */
const HARVARD_OXFORD_CORTICAL = [
  'Frontal Pole',
  'Insular Cortex',
  'Superior Frontal Gyrus',
  'Middle Frontal Gyrus',
  'Inferior Frontal Gyrus, pars triangularis',
  'Inferior Frontal Gyrus, pars opercularis',
  'Precentral Gyrus',
  'Temporal Pole',
  'Superior Temporal Gyrus, anterior division',
  'Superior Temporal Gyrus, posterior division',
  'Middle Temporal Gyrus, anterior division',
  'Middle Temporal Gyrus, posterior division',
  'Middle Temporal Gyrus, temporooccipital part',
  'Inferior Temporal Gyrus, anterior division',
  'Inferior Temporal Gyrus, posterior division',
  'Inferior Temporal Gyrus, temporooccipital part',
  'Postcentral Gyrus',
  'Superior Parietal Lobule',
  'Supramarginal Gyrus, anterior division',
  'Supramarginal Gyrus, posterior division',
  'Angular Gyrus',
  'Lateral Occipital Cortex, superior division',
  'Lateral Occipital Cortex, inferior division',
  'Intracalcarine Cortex',
  'Frontal Medial Cortex',
  'Juxtapositional Lobule Cortex',
  'Subcallosal Cortex',
  'Paracingulate Gyrus',
  'Cingulate Gyrus, anterior division',
  'Cingulate Gyrus, posterior division',
  'Precuneous Cortex',
  'Cuneal Cortex',
  'Frontal Orbital Cortex',
  'Parahippocampal Gyrus, anterior division',
  'Parahippocampal Gyrus, posterior division',
  'Lingual Gyrus',
  'Temporal Fusiform Cortex, anterior division',
  'Temporal Fusiform Cortex, posterior division',
  'Temporal Occipital Fusiform Cortex',
  'Occipital Fusiform Gyrus',
  'Frontal Opercular Cortex',
  'Central Opercular Cortex',
  'Parietal Opercular Cortex',
  'Planum Polare',
  "Heschl's Gyrus",
  'Planum Temporale',
  'Supracalcarine Cortex',
  'Occipital Pole',
];

/** The subcortical codes in PCP's Harvard-Oxford .1D headers (FreeSurfer's colour table). */
const PCP_SUBCORTICAL: [number, string][] = [
  [10, 'Left Thalamus'],
  [11, 'Left Caudate'],
  [12, 'Left Putamen'],
  [13, 'Left Pallidum'],
  [17, 'Left Hippocampus'],
  [18, 'Left Amygdala'],
  [26, 'Left Accumbens'],
  [49, 'Right Thalamus'],
  [50, 'Right Caudate'],
  [51, 'Right Putamen'],
  [52, 'Right Pallidum'],
  [53, 'Right Hippocampus'],
  [54, 'Right Amygdala'],
  [58, 'Right Accumbens'],
];

function fileProvenance(path: string): Record<string, unknown> {
  const bytes = readFileSync(path);
  return { file: path, sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

function aal(templates: string): Atlas {
  const volume = join(templates, 'aal.nii.gz');
  const lookupFile = join(templates, 'aal.nii.txt');
  const lookup = readLabelLookup(lookupFile);
  const rois: AtlasRoi[] = labelVolumeRegions(volume).map((region) => {
    const named = lookup.get(region.value);
    if (!named) throw new Error(`aal.nii.gz has label ${region.value}, which aal.nii.txt does not name`);
    return { code: named.code, label: named.label, x: region.x, y: region.y, z: region.z };
  });
  return {
    name: 'AAL116',
    space: 'MNI152',
    provenance: {
      kind: 'builtin',
      package: 'Debian mricron-data',
      volume: fileProvenance(volume),
      labels: fileProvenance(lookupFile),
      method:
        'centroid = mean voxel position per label, through the image affine; code = third column of aal.nii.txt (the PCP .1D column names)',
    },
    rois,
  };
}

function harvardOxford(templates: string): Atlas {
  const volume = join(templates, 'HarvardOxford-cort-maxprob-thr0-1mm.nii.gz');
  // PCP codes cortical region k as k*100+1 on the left (x < 0) and k*100+2 on the right.
  const regions = labelVolumeRegions(volume, (value, x) => value * 100 + (x < 0 ? 1 : 2));
  const cortical: AtlasRoi[] = regions.map((region) => {
    const k = Math.floor(region.value / 100);
    const side = region.value % 100 === 1 ? 'Left' : 'Right';
    return { code: region.value, label: `${side} ${HARVARD_OXFORD_CORTICAL[k - 1]}`, x: region.x, y: region.y, z: region.z };
  });
  const subcortical: AtlasRoi[] = PCP_SUBCORTICAL.map(([code, label]) => ({ code, label, x: null, y: null, z: null }));
  return {
    name: 'Harvard-Oxford cortical',
    space: 'MNI152',
    provenance: {
      kind: 'builtin',
      package: 'Debian mricron-data',
      volume: fileProvenance(volume),
      labels: 'FSL HarvardOxford-Cortical.xml label order',
      method:
        'maxprob thr0 1 mm labels 1..48 split at x = 0 into code k*100+1 (left) and k*100+2 (right), as in PCP Harvard-Oxford .1D headers; centroid = mean voxel position through the affine. The 14 PCP subcortical codes are listed by FreeSurfer name without coordinates: mricron-data has no subcortical volume.',
    },
    rois: [...subcortical, ...cortical].sort((a, b) => a.code! - b.code!),
  };
}

/** Derives the built-in atlases from MRIcron's templates folder (Debian: /usr/share/mricron/templates). */
export function deriveBuiltinAtlases(templates: string): Record<string, Atlas> {
  return { aal116: aal(templates), 'harvard-oxford-cort': harvardOxford(templates) };
}
