import type { BrainBatch, Vocabulary } from '../main/model/neurolipModel';
import * as tf from '../main/model/tf';
import { SeededRandom } from '../main/synth/random';

/** Diagnosis and sex, the smallest vocabulary a model test needs (the type embedding wants two attributes). */
export const DX_SEX_VOCABULARY: Vocabulary = {
  attributes: [
    { name: 'dx', values: ['control', 'patient'] },
    { name: 'sex', values: ['female', 'male'] },
  ],
};

/** Codes for DX_SEX_VOCABULARY: diagnosis alternating, sex female every third subject. */
export const dxSexCodes = (subjects: number): Int32Array[] => [
  Int32Array.from({ length: subjects }, (_, i) => i % 2),
  Int32Array.from({ length: subjects }, (_, i) => (i % 3 === 0 ? 0 : 1)),
];

/** A seeded random batch of `subjects` R x R matrices and, for the whole-connectome token, their upper triangles. */
export function randomBrainBatch(seed: number, subjects: number, rois: number): BrainBatch {
  const random = new SeededRandom(seed);
  const values = Float32Array.from({ length: subjects * rois * rois }, () => random.normal() * 0.3);
  const edges: number[] = [];
  for (let b = 0; b < subjects; b += 1)
    for (let i = 0; i < rois; i += 1) for (let j = i + 1; j < rois; j += 1) edges.push(values[b * rois * rois + i * rois + j]!);
  return { fc: tf.tensor3d(values, [subjects, rois, rois]), edges: tf.tensor2d(edges, [subjects, (rois * (rois - 1)) / 2]) };
}

/** The batch's edges moved: every edge of a woman (sex code 0) by `womenShift`, a patient's first edge by `patientShift`. */
export function shiftedEdges(batch: BrainBatch, codes: Int32Array[], womenShift: number, patientShift: number): tf.Tensor2D {
  const [subjects, e] = batch.edges!.shape;
  const values = Float32Array.from(batch.edges!.dataSync(), (v, k) => {
    const i = Math.floor(k / e);
    return v + (codes[1]![i] === 0 ? womenShift : 0) + (k % e === 0 ? codes[0]![i]! * patientShift : 0);
  });
  return tf.tensor2d(values, [subjects, e]);
}
