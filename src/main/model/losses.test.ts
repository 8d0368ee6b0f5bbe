import * as tf from './tf';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { scaleGradient, stopGradient } from './gradientScale';
import {
  betweenGroupVariance,
  bhattacharyya,
  caltChanceLevel,
  caltLoss,
  caltWithinGroups,
  equalisedOddsPenalty,
  embeddingGroupDirections,
  projectedGroupVariance,
  splitByGroup,
} from './losses';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Five subjects' two features: the first four of diagnosis 0 in most cases below. */
const fiveSubjects = (): tf.Tensor2D =>
  tf.tensor2d([
    [1, 0],
    [3, 0],
    [5, 2],
    [7, 2],
    [9, 9],
  ]);

describe('loss terms on tiny fixed tensors', () => {
  it('CALT: brain->text cross-entropy and multi-positive text->brain InfoNCE, halved', () => {
    const sim = tf.tensor2d([
      [2, 0],
      [1, 1],
      [0, 3],
    ]);
    const loss = caltLoss(sim, [0, 0, 1])!.dataSync()[0]!;
    const ce = (row: number[], k: number) => -row[k]! + Math.log(row.reduce((s, x) => s + Math.exp(x), 0));
    const b2t = (ce([2, 0], 0) + ce([1, 1], 0) + ce([0, 3], 1)) / 3;
    // token 0: positives subjects 0,1 in column 0 = [2, 1, 0]; token 1: positive subject 2 in column 1 = [0, 1, 3]
    const lse = (xs: number[]) => Math.log(xs.reduce((s, x) => s + Math.exp(x), 0));
    const t2b = (lse([2, 1, 0]) - lse([2, 1]) + (lse([0, 1, 3]) - lse([3]))) / 2;
    expect(loss).toBeCloseTo((b2t + t2b) / 2, 5);
  });

  it('CALT leaves out subjects with a missing value, and is null when none has one', () => {
    const sim = tf.tensor2d([
      [2, 0],
      [5, -5],
      [0, 3],
    ]);
    const withMissing = caltLoss(sim, [0, -1, 1])!.dataSync()[0]!;
    const without = caltLoss(
      tf.tensor2d([
        [2, 0],
        [0, 3],
      ]),
      [0, 1],
    )!.dataSync()[0]!;
    expect(withMissing).toBeCloseTo(without, 6);
    expect(caltLoss(sim, [-1, -1, -1])).toBeNull();
  });

  it('CALT within groups: each group on its own rows, weighted by its subjects, with the matching chance level', () => {
    const rows = [
      [2, 0],
      [1, 1],
      [0, 3],
      [-1, 2],
      [4, 1],
    ];
    const codes = [0, 1, 1, -1, 0];
    const dx = [0, 0, 1, 1, 1];
    expect(splitByGroup(codes, dx).map((part) => Array.from(part))).toEqual([
      [0, 1, -1, -1, -1],
      [-1, -1, 1, -1, 0],
    ]);
    const within = caltWithinGroups(tf.tensor2d(rows), codes, dx)!;
    // group dx 0: subjects 0 and 1; group dx 1: subjects 2 and 4 (3 has no value); two subjects each.
    const group0 = caltLoss(tf.tensor2d([rows[0]!, rows[1]!]), [0, 1])!.dataSync()[0]!;
    const group1 = caltLoss(tf.tensor2d([rows[2]!, rows[4]!]), [1, 0])!.dataSync()[0]!;
    expect(within.loss.dataSync()[0]!).toBeCloseTo((group0 + group1) / 2, 5);
    expect(within.chance).toBeCloseTo((caltChanceLevel([0, 1]) + caltChanceLevel([1, 0])) / 2, 12);

    const whole = caltWithinGroups(tf.tensor2d(rows), codes, null)!;
    expect(whole.loss.dataSync()[0]!).toBeCloseTo(caltLoss(tf.tensor2d(rows), codes)!.dataSync()[0]!, 6);
    expect(whole.chance).toBeCloseTo(caltChanceLevel(codes), 12);
    expect(caltWithinGroups(tf.tensor2d(rows), [-1, -1, -1, -1, -1], dx)).toBeNull();
  });

  it('chance level of CALT for the batch frequencies', () => {
    // p = (3/4, 1/4): entropy H and mean -log p over present tokens
    const p = [0.75, 0.25];
    const expected = 0.5 * (-(p[0]! * Math.log(p[0]!) + p[1]! * Math.log(p[1]!)) + (-Math.log(p[0]!) - Math.log(p[1]!)) / 2);
    expect(caltChanceLevel([0, 0, 0, 1, -1])).toBeCloseTo(expected, 12);
    expect(caltChanceLevel([0, 1])).toBeCloseTo(Math.log(2), 12);
  });

  it('Bhattacharyya coefficient: 1 for identical maps, 0 for disjoint ones', () => {
    const bc = bhattacharyya(
      tf.tensor2d([
        [0.5, 0.5, 0],
        [1, 0, 0],
      ]),
      tf.tensor2d([
        [0.5, 0.5, 0],
        [0, 0, 1],
      ]),
    ).dataSync();
    expect(bc[0]).toBeCloseTo(1, 5);
    expect(bc[1]).toBeCloseTo(0, 4);
  });

  it('equalised-odds penalty: between-group variance of the patient probability within each diagnosis', () => {
    const probability = [0.1, 0.3, 0.5, 0.2, 0.4, 0.6, 0.9];
    const sim = tf.tensor2d(probability.map((p) => [Math.log(1 - p), Math.log(p)]));
    const dx = [0, 0, 0, 1, 1, 1, -1];
    // Controls: groups {0.1, 0.3} and {0.5} about a mean of 0.3 give (2/3) 0.01 + (1/3) 0.04;
    // patients: {0.2} and {0.4, 0.6} about 0.4 give (1/3) 0.04 + (2/3) 0.01.
    expect(equalisedOddsPenalty(sim, dx, [0, 0, 1, 0, 1, 1, 0])!.dataSync()[0]).toBeCloseTo(0.04, 5);
    // A subject without a group is left out; a diagnosis with one group adds nothing.
    expect(equalisedOddsPenalty(sim, dx, [0, 0, 1, 0, 0, -1, 1])!.dataSync()[0]).toBeCloseTo(0.02, 5);
    expect(equalisedOddsPenalty(sim, dx, [0, 0, 0, 1, 1, 1, 0])).toBeNull();
    // With three diagnosis tokens the patient is column 1: probabilities 1/2 and 1/3.
    const three = tf.tensor2d([
      [0, Math.log(2), 0],
      [0, 0, 0],
    ]);
    expect(equalisedOddsPenalty(three, [1, 1], [0, 1])!.dataSync()[0]).toBeCloseTo((1 / 12) ** 2, 5);
  });

  it('betweenGroupVariance: per column within each diagnosis, averaged over the columns', () => {
    const values = fiveSubjects();
    // Column 0: mean 4, group means 2 and 6 -> 4; column 1: mean 1, group means 0 and 2 -> 1.
    expect(betweenGroupVariance(values, [0, 0, 0, 0, 1], [0, 0, 1, 1, 0])!.dataSync()[0]).toBeCloseTo(2.5, 5);
    // A subject without a group is left out; so is a diagnosis with one group. Column 0: 1, 3 | 5 -> 2;
    // column 1: 0, 0 | 2 -> 8/9.
    expect(betweenGroupVariance(values, [0, 0, 0, 0, 1], [0, 0, 1, -1, 1])!.dataSync()[0]).toBeCloseTo((2 + 8 / 9) / 2, 5);
    expect(betweenGroupVariance(values, [0, 0, 1, 1, 1], [0, 0, 1, 1, 1])).toBeNull();
    // Share: of each column's variance within the diagnosis, 4 / 5 and 1 / 1, whatever the columns' scales.
    expect(betweenGroupVariance(values, [0, 0, 0, 0, 1], [0, 0, 1, 1, 0], 'share')!.dataSync()[0]).toBeCloseTo(0.9, 5);
    const rescaled = tf.mul(values, tf.tensor1d([10, 0.1])) as tf.Tensor2D;
    expect(betweenGroupVariance(rescaled, [0, 0, 0, 0, 1], [0, 0, 1, 1, 0], 'share')!.dataSync()[0]).toBeCloseTo(0.9, 4);
    // Chance: that share over (G - 1) / (n - 1) = 1 / 3 for two groups of four subjects.
    expect(betweenGroupVariance(values, [0, 0, 0, 0, 1], [0, 0, 1, 1, 0], 'chance')!.dataSync()[0]).toBeCloseTo(2.7, 4);
  });

  it('projectedGroupVariance: each batch gap times its group’s direction, averaged over the columns', () => {
    const values = fiveSubjects();
    const dx = [0, 0, 0, 0, 1];
    const groups = [0, 0, 1, 1, 0];
    // Gaps: group 0 (-2, -1), group 1 (2, 1), each weighing 1/2. Directions (1, 0) and (0.5, 2): (-1 + 1.5) / 2.
    const directions = new Map([
      ['0:0', Float32Array.from([1, 0])],
      ['0:1', Float32Array.from([0.5, 2])],
    ]);
    expect(projectedGroupVariance(values, dx, groups, (c, g) => directions.get(`${c}:${g}`))!.dataSync()[0]).toBeCloseTo(0.25, 5);
    // With the batch's own gaps as directions it is betweenGroupVariance.
    const own = new Map([
      ['0:0', Float32Array.from([-2, -1])],
      ['0:1', Float32Array.from([2, 1])],
    ]);
    expect(projectedGroupVariance(values, dx, groups, (c, g) => own.get(`${c}:${g}`))!.dataSync()[0]).toBeCloseTo(2.5, 5);
    // A group without a direction counts zero.
    expect(
      projectedGroupVariance(values, dx, groups, (c, g) => (g === 1 ? directions.get(`${c}:${g}`) : undefined))!.dataSync()[0],
    ).toBeCloseTo(0.75, 5);
    expect(projectedGroupVariance(values, [0, 0, 1, 1, 1], [0, 0, 1, 1, 1], () => undefined)).toBeNull();
  });

  it('embeddingGroupDirections: each group’s mean minus its diagnosis’s, on features standardised over every subject', () => {
    // One feature 0, 2, 4, 6: mean 3, SD √5. Diagnosis 0 holds the first two, diagnosis 1 the last two.
    const offsets = embeddingGroupDirections(Float32Array.from([0, 2, 4, 6]), 1, [
      [0, 0, 1, 1],
      [0, 1, 0, 1],
      [0, 0, -1, 0],
    ]);
    const unit = 1 / Math.sqrt(5);
    expect([...offsets.keys()].sort()).toEqual(['1:0:0', '1:0:1', '1:1:0', '1:1:1', '2:0:0', '2:1:0']);
    expect(offsets.get('1:0:0')![0]).toBeCloseTo(-unit, 5);
    expect(offsets.get('1:0:1')![0]).toBeCloseTo(unit, 5);
    expect(offsets.get('1:1:1')![0]).toBeCloseTo(unit, 5);
    // The discriminant direction: the offset over 1 + the within-diagnosis variance, ((-1)² + 1²) / 2 / 5 = 1/5.
    const discriminant = embeddingGroupDirections(
      Float32Array.from([0, 2, 4, 6]),
      1,
      [
        [0, 0, 1, 1],
        [0, 1, 0, 1],
        [0, 0, -1, 0],
      ],
      true,
    );
    expect(discriminant.get('1:0:0')![0]).toBeCloseTo(-unit / 1.2, 5);
    expect(discriminant.get('1:1:1')![0]).toBeCloseTo(unit / 1.2, 5);
    // Attribute 2 has one group per diagnosis (subject 2 has none): its group is its diagnosis, no offset.
    expect(offsets.get('2:0:0')![0]).toBeCloseTo(0, 5);
    expect(offsets.get('2:1:0')![0]).toBeCloseTo(0, 5);
  });

  it('betweenGroupVariance on the chance scale averages 1 over every shuffle of the group labels', () => {
    const values = tf.tensor2d([[0.3], [-1.2], [2.5], [0.9], [-0.4], [1.7]]);
    const labellings = new Set<string>();
    const permute = (left: number[], chosen: number[]): void => {
      if (left.length === 0) labellings.add(chosen.join(','));
      left.forEach((label, i) => permute([...left.slice(0, i), ...left.slice(i + 1)], [...chosen, label]));
    };
    permute([0, 0, 1, 1, 2, 2], []);
    const scaled = [...labellings].map(
      (l) => betweenGroupVariance(values, [1, 1, 1, 1, 1, 1], l.split(',').map(Number), 'chance')!.dataSync()[0]!,
    );
    expect(scaled).toHaveLength(90);
    expect(scaled.reduce((a, b) => a + b, 0) / scaled.length).toBeCloseTo(1, 4);
  });

  it('scaleGradient reverses or stops the gradient, set after the forward pass', () => {
    const x = tf.variable(tf.tensor1d([1, 2, 3]));
    for (const [scale, expected] of [
      [-1, [-2, -4, -6]],
      [0, [0, 0, 0]],
      [1, [2, 4, 6]],
    ] as const) {
      const gate = { scale: 1 };
      const { grads } = tf.variableGrads(() => {
        const y = tf.sum(tf.square(scaleGradient(x, gate))) as tf.Scalar;
        gate.scale = scale;
        return y;
      });
      expect(Array.from(grads[x.name]!.dataSync())).toEqual(expected);
    }
  });

  it('stopGradient passes the value and cuts the tape: nothing before it is backpropagated', () => {
    let upstreamGradients = 0;
    const counted = tf.customGrad(((input: tf.Tensor) => ({
      value: tf.square(input),
      gradFunc: (dy: tf.Tensor) => {
        upstreamGradients += 1;
        return tf.mul(dy, tf.mul(input, 2));
      },
    })) as unknown as Parameters<typeof tf.customGrad>[0]);
    const x = tf.variable(tf.tensor1d([1, 2, 3]));
    const { value, grads } = tf.variableGrads(() => {
      const stopped = stopGradient(counted(x));
      expect(Array.from(stopped.dataSync())).toEqual([1, 4, 9]);
      return tf.add(tf.sum(tf.mul(stopped, 5)), tf.sum(tf.mul(x, 3))) as tf.Scalar;
    });
    expect(value.dataSync()[0]).toBe(5 * 14 + 3 * 6);
    expect(Array.from(grads[x.name]!.dataSync())).toEqual([3, 3, 3]);
    expect(upstreamGradients).toBe(0);
    expect(() => tf.grad((a: tf.Tensor) => tf.sum(stopGradient(a)))(tf.tensor1d([1]))).toThrow(
      /Cannot compute gradient of y=f\(x\) with respect to x/,
    );
  });
});
