import { describe, expect, it } from 'vitest';
import { ABIDE } from '../../../test-support/sharedData';
import { matchColumns } from './atlas';
import { readAtlasCsv } from './atlasCsv';
import { loadBuiltinAtlas } from './builtinAtlases';
import { readNiftiAtlas } from './niftiAtlas';

/** From Debian's mricron-data (apt-get install -y mricron-data; .ci/run installs it). */
const MRICRON_AAL = '/usr/share/mricron/templates/aal.nii.gz';

describe('atlases', () => {
  it("reads PCP's CC200_ROI_labels.csv as users get it (CR line endings, (x;y;z) fields)", () => {
    const atlas = readAtlasCsv(ABIDE.cc200Labels);
    expect(atlas.name).toBe('CC200');
    expect(atlas.rois).toHaveLength(200);
    expect(atlas.rois[0]).toEqual({ code: 1, label: '#1 (Occipital_Mid_L)', x: -39.6, y: -85.4, z: 1.4 });
    expect(atlas.provenance).toMatchObject({ kind: 'csv', file: 'CC200_ROI_labels.csv' });
  });

  it('matches PCP columns to ROIs by code (AAL, Harvard-Oxford) or by row number (CC200)', () => {
    const aal = loadBuiltinAtlas('aal116');
    expect(matchColumns(['#2001', '#2002', '#9999'], aal).map((m) => m.roi?.label ?? null)).toEqual(['Precentral_L', 'Precentral_R', null]);
    const cc200 = readAtlasCsv(ABIDE.cc200Labels);
    expect(matchColumns(['#1', '#200'], cc200).map((m) => m.roi?.code)).toEqual([1, 200]);
    const ho = loadBuiltinAtlas('harvard-oxford-cort');
    expect(matchColumns(['#101', '#102', '#10'], ho).map((m) => m.roi?.label)).toEqual([
      'Left Frontal Pole',
      'Right Frontal Pole',
      'Left Thalamus',
    ]);
  });

  it('the built-in atlases place left regions left of the midline', () => {
    for (const id of ['aal116', 'harvard-oxford-cort'] as const) {
      const atlas = loadBuiltinAtlas(id);
      const lefts = atlas.rois.filter((roi) => /(_L$|^Left )/.test(roi.label) && roi.x !== null);
      expect(lefts.length).toBeGreaterThan(40);
      expect(lefts.every((roi) => roi.x! < 0)).toBe(true);
    }
  });

  it('computes NIfTI label-image centroids, equal to the built-in AAL derived from the same volume', () => {
    const atlas = readNiftiAtlas(MRICRON_AAL);
    expect(atlas.rois).toEqual(loadBuiltinAtlas('aal116').rois);
  });
});
