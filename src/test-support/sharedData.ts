import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The real public files in ../shared/data (never copied into the repository). */
export const SHARED_DATA = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data');

export const ABIDE = {
  phenotype: join(SHARED_DATA, 'abide-pcp-sample', 'Phenotypic_V1_0b_preprocessed1.csv'),
  cc200: join(SHARED_DATA, 'abide-pcp-sample', 'rois_cc200'),
  ho: join(SHARED_DATA, 'abide-pcp-sample', 'rois_ho'),
  devCc200: join(SHARED_DATA, 'abide-pcp-dev', 'rois_cc200'),
  cc200Labels: join(SHARED_DATA, 'atlases', 'CC200_ROI_labels.csv'),
};

export const ADHD200_PHENOTYPE = join(SHARED_DATA, 'adhd200-phenotype', 'ADHD_phenotypic.csv');

if (!existsSync(ABIDE.phenotype)) {
  throw new Error(`The shared test data is missing: expected ${ABIDE.phenotype}. Tests read real files from ../shared/data.`);
}
