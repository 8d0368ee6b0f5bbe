import * as tf from './tf';

/**
 * An exponential moving average of the model's weights (Polyak averaging): after each step
 * avg <- beta avg + (1 - beta) w, with beta = min(decay, (1 + t) / (10 + t)) so the first steps are
 * not dominated by the initial weights (as TensorFlow's ExponentialMovingAverage with num_updates).
 */
export class WeightAverage {
  private readonly averages: tf.Variable[];
  private updates = 0;

  constructor(
    private readonly variables: tf.Variable[],
    private readonly decay: number,
  ) {
    this.averages = variables.map((v) => tf.tidy(() => tf.variable(tf.clone(v), false)));
  }

  update(): void {
    this.updates += 1;
    const beta = Math.min(this.decay, (1 + this.updates) / (10 + this.updates));
    tf.tidy(() => this.averages.forEach((a, i) => a.assign(tf.add(tf.mul(a, beta), tf.mul(this.variables[i]!, 1 - beta)))));
  }

  /** The averaged weights as plain arrays, in the variables' order. */
  snapshot(): Float32Array[] {
    return this.averages.map((a) => Float32Array.from(a.dataSync() as Float32Array));
  }

  /** The state to checkpoint: the update count and the averages. */
  state(): { updates: number; weights: Float32Array[] } {
    return { updates: this.updates, weights: this.snapshot() };
  }

  load(saved: { updates: number; weights: Float32Array[] }): void {
    this.updates = saved.updates;
    tf.tidy(() => this.averages.forEach((a, i) => a.assign(tf.tensor(saved.weights[i]!, a.shape))));
  }

  dispose(): void {
    for (const a of this.averages) a.dispose();
  }
}
