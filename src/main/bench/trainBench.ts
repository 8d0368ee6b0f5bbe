import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NeuroLIPEnsemble } from '../model/neurolipEnsemble';
import type { Vocabulary } from '../model/neurolipModel';
import * as tf from '../model/tf';
import { resolveVariant, TrainConfig } from '../model/trainConfig';
import { WeightAverage } from '../model/weightAverage';
import { SeededRandom } from '../synth/random';
import { selectBackend } from '../tf/backend';
import type { CohortData } from '../train/cohortData';
import { FoldInputs } from '../train/foldInputs';
import { createOptimiser } from '../train/optimiser';
import { needsTimeSeries, type SubjectSeries } from '../train/timeWindows';
import { fitFixedReadouts } from '../train/trainFold';
import { namesInWords } from '../../shared/settingText';

/** Time points per synthetic scan: the developer ABIDE scans are 78 to 246 points long (mean 166). */
const SERIES_POINTS = 200;

export interface TrainBenchOptions {
  subjects: number;
  rois: number;
  epochs: number;
  reference: string;
  python: string;
}

/** Random Fisher-z connectivity from a low-rank factor model (values do not matter for speed). */
function syntheticConnectivity(random: SeededRandom, n: number, r: number): Float32Array {
  const out = new Float32Array(n * r * r);
  const k = 12;
  const a = new Float64Array(r * k);
  for (let s = 0; s < n; s += 1) {
    for (let i = 0; i < a.length; i += 1) a[i] = random.normal();
    const norms = Array.from({ length: r }, (_, i) => Math.sqrt(a.subarray(i * k, (i + 1) * k).reduce((x, v) => x + v * v, 0)));
    for (let i = 0; i < r; i += 1) {
      for (let j = i + 1; j < r; j += 1) {
        let dot = 0;
        for (let f = 0; f < k; f += 1) dot += a[i * k + f]! * a[j * k + f]!;
        const z = Math.atanh(Math.min(0.999, Math.max(-0.999, dot / norms[i]! / norms[j]!)));
        out[s * r * r + i * r + j] = z;
        out[s * r * r + j * r + i] = z;
      }
    }
  }
  return out;
}

/** Time series for time-window augmentation: SERIES_POINTS points of white noise per ROI (values do not matter for speed). */
function syntheticSeries(random: SeededRandom, n: number, r: number): SubjectSeries[] {
  return Array.from({ length: n }, () => ({
    timePoints: SERIES_POINTS,
    values: Float32Array.from({ length: SERIES_POINTS * r }, () => random.normal()),
  }));
}

/** `neurolip bench train`: median epoch time of the default model on synthetic connectivity, against bench_ref.py in the same run. */
export async function runTrainBench(options: TrainBenchOptions): Promise<string> {
  const backend = await selectBackend();
  const { subjects: n, rois: r } = options;
  const random = new SeededRandom(0);
  const fc = syntheticConnectivity(random, n, r);
  const sites = Array.from({ length: 20 }, (_, i) => `S${i}`);
  const vocabulary: Vocabulary = {
    attributes: [
      { name: 'dx', values: ['control', 'patient'] },
      { name: 'sex', values: ['female', 'male'] },
      { name: 'ageGroup', values: ['12-17', '<12', '>=18'] },
      { name: 'site', values: sites },
    ],
  };
  const codes = [
    Int32Array.from({ length: n }, () => random.int(2)),
    Int32Array.from({ length: n }, () => (random.next() < 0.8 ? 1 : 0)),
    Int32Array.from({ length: n }, () => random.int(3)),
    Int32Array.from({ length: n }, () => random.int(20)),
  ];
  const data: CohortData = {
    cohortId: 0,
    subjectIds: Array.from({ length: n }, (_, i) => i),
    externalIds: Array.from({ length: n }, (_, i) => String(i)),
    rois: r,
    fc,
    missing: new Uint8Array(n * r),
    dx: codes[0]!,
    motion: Float64Array.from({ length: n }, () => 0.05 + 0.2 * random.next()),
    labels: { control: 'control', patient: 'patient' },
    attributes: Object.fromEntries(
      vocabulary.attributes.slice(1).map((attribute, a) => [attribute.name, Array.from(codes[a + 1]!, (c) => attribute.values[c]!)]),
    ),
    groundTruth: null,
    roiLabels: [],
  };
  const everyone = Array.from({ length: n }, (_, i) => i);
  const measure = async (variant: 'neurolip' | 'neurolip-v1') => {
    const config = resolveVariant(TrainConfig.parse({ variant }));
    const inputsStarted = performance.now();
    const inputs = await FoldInputs.prepare(
      needsTimeSeries(config) ? { ...data, series: syntheticSeries(random, n, r) } : data,
      everyone,
      config,
    );
    const inputSeconds = (performance.now() - inputsStarted) / 1000;
    const model = new NeuroLIPEnsemble(r, vocabulary, config, '', inputs.connectomeBasis);
    const fitStarted = performance.now();
    fitFixedReadouts(
      model,
      data,
      inputs,
      model.members.map(() => everyone),
    );
    const readoutFitSeconds = model.members.some((member) => member.fittedReadout) ? (performance.now() - fitStarted) / 1000 : null;
    const optimiser = createOptimiser(model.members);
    const average = config.weightAveraging > 0 ? new WeightAverage(model.variables, config.weightAveraging) : null;
    const parameters = model.variables.reduce((sum, v) => sum + v.size, 0);
    const epochSeconds: number[] = [];
    let steps = 0;
    for (let epoch = 0; epoch < options.epochs; epoch += 1) {
      const order = random.permutation(n);
      const started = performance.now();
      steps = 0;
      for (let start = 0; start < n; start += config.batchSize) {
        const batch = order.slice(start, start + config.batchSize);
        const x = inputs.batch(batch, random);
        const batchCodes = codes.map((c) => Int32Array.from(batch, (s) => c[s]!));
        const { value, grads } = tf.variableGrads(() => model.loss(x, batchCodes, true).total, model.trainable);
        optimiser.apply(grads);
        model.clampScale();
        average?.update();
        tf.dispose([x.fc, x.edges ?? [], value, ...Object.values(grads)].flat());
        steps += 1;
      }
      epochSeconds.push((performance.now() - started) / 1000);
    }
    optimiser.dispose();
    average?.dispose();
    model.dispose();
    const median = [...epochSeconds].sort((a, b) => a - b)[Math.floor(epochSeconds.length / 2)]!;
    return {
      variant,
      members: config.ensemble,
      batchSize: config.batchSize,
      parameters,
      median,
      steps,
      readoutFitSeconds,
      offsets: config.readoutOffsets,
      tangentSeconds: config.globalToken && config.connectomeMeasure === 'tangent' ? inputSeconds : null,
    };
  };
  const measured = [await measure('neurolip'), await measure('neurolip-v1')];
  const lines = [
    `### Training: ${n} subjects x ${r} ROIs, ${options.epochs} epochs, batch ${measured[0]!.batchSize}`,
    '',
    '| implementation | back end | median epoch s | steps/s | subjects/s |',
    '| --- | --- | --- | --- | --- |',
    ...measured.map(
      (m) =>
        `| NeuroLIP Studio (TensorFlow.js), \`${m.variant}\`${m.variant === 'neurolip' ? ' (default)' : ''} (${m.members > 1 ? `${m.members} members, ` : ''}${m.parameters} parameters${m.readoutFitSeconds === null ? '' : `; its fixed connectome readout${m.offsets.length > 0 ? ` and its offsets per ${namesInWords(m.offsets)}` : ''} fitted once per fold in ${m.readoutFitSeconds.toFixed(1)} s, not in the epoch`}${m.tangentSeconds === null ? '' : `; its tangent-space inputs computed once per fold in ${m.tangentSeconds.toFixed(1)} s, not in the epoch`}) | ${backend.name} | ${m.median.toFixed(2)} | ${(m.steps / m.median).toFixed(2)} | ${(n / m.median).toFixed(0)} |`,
    ),
  ];
  const script = join(options.reference, 'bench_ref.py');
  if (!existsSync(script)) {
    lines.push('', `reference not run: ${script} is missing`);
    return lines.join('\n');
  }
  try {
    const output = execFileSync(
      options.python,
      [script, '--subjects', String(n), '--rois', String(r), '--epochs', String(options.epochs), '--threads', '2'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const reference = JSON.parse(output.trim().split('\n').at(-1)!) as {
      median_epoch_s: number;
      steps_per_s: number;
      subjects_per_s: number;
      params: number;
      torch: string;
    };
    lines.push(
      `| PyTorch reference ${reference.torch}, 2 threads (${reference.params} parameters) | cpu | ${reference.median_epoch_s.toFixed(2)} | ${reference.steps_per_s.toFixed(2)} | ${reference.subjects_per_s.toFixed(0)} |`,
    );
    lines.push(
      '',
      ...measured.map(
        (m) => `Ratio, \`${m.variant}\` / the PyTorch reference (its v1 model): ${(m.median / reference.median_epoch_s).toFixed(2)}x`,
      ),
      'The goal is at most 2x on wasm for the default model.',
    );
  } catch (error) {
    lines.push('', `reference not run (${options.python} ${script}: ${(error as Error).message.split('\n')[0]})`);
  }
  return lines.join('\n');
}
