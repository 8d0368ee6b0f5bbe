import * as tf from './tf';

/** How one variable is stepped: its learning rate and decoupled weight decay, and whether by SGD instead of Adam. */
export interface VariableSettings {
  learningRate: number;
  weightDecay: number;
  sgd: boolean;
}

/**
 * AdamW (decoupled weight decay, as torch.optim.AdamW): p <- p - lr * wd * p, then the Adam step,
 * with each variable's own learning rate and decay. Its moments are kept per variable and updated
 * in place. A variable stepped by SGD takes p <- p - lr * wd * p - lr * m_hat instead: the same
 * bias-corrected momentum, not divided by the root of the second moment, so each weight moves in
 * proportion to its gradient.
 */
export class AdamW {
  private step = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private readonly beta1 = 0.9;
  private readonly beta2 = 0.999;
  private readonly epsilon = 1e-8;

  constructor(
    private readonly variables: tf.Variable[],
    /** One entry per variable, in the same order. */
    private readonly settings: VariableSettings[],
  ) {
    if (settings.length !== variables.length) throw new Error(`AdamW: ${settings.length} settings for ${variables.length} variables`);
    this.m = variables.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
    this.v = variables.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
  }

  /** The optimiser's state (step and moments), to checkpoint and resume training exactly. */
  state(): { step: number; m: Float32Array[]; v: Float32Array[] } {
    return {
      step: this.step,
      m: this.m.map((t) => Float32Array.from(t.dataSync() as Float32Array)),
      v: this.v.map((t) => Float32Array.from(t.dataSync() as Float32Array)),
    };
  }

  load(saved: { step: number; m: Float32Array[]; v: Float32Array[] }): void {
    this.step = saved.step;
    tf.tidy(() => {
      this.m.forEach((t, i) => t.assign(tf.tensor(saved.m[i]!, t.shape)));
      this.v.forEach((t, i) => t.assign(tf.tensor(saved.v[i]!, t.shape)));
    });
  }

  apply(gradients: tf.NamedTensorMap): void {
    this.step += 1;
    const correction1 = 1 - this.beta1 ** this.step;
    const correction2 = 1 - this.beta2 ** this.step;
    tf.tidy(() => {
      this.variables.forEach((variable, i) => {
        const gradient = gradients[variable.name];
        if (!gradient) return;
        const { learningRate, weightDecay, sgd } = this.settings[i]!;
        const m = tf.add(tf.mul(this.m[i]!, this.beta1), tf.mul(gradient, 1 - this.beta1));
        this.m[i]!.assign(m);
        const decayed = tf.mul(variable, 1 - learningRate * weightDecay);
        if (sgd) {
          variable.assign(tf.sub(decayed, tf.mul(m, learningRate / correction1)));
          return;
        }
        const v = tf.add(tf.mul(this.v[i]!, this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2));
        this.v[i]!.assign(v);
        const update = tf.div(tf.div(m, correction1), tf.add(tf.sqrt(tf.div(v, correction2)), this.epsilon));
        variable.assign(tf.sub(decayed, tf.mul(update, learningRate)));
      });
    });
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}
