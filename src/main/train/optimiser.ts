import { AdamW } from '../model/adamW';
import { isConnectomeVariable } from '../model/neurolipModel';
import type * as tf from '../model/tf';
import type { TrainConfig } from '../model/trainConfig';

/** The optimiser a configuration asks for: AdamW, with the whole-connectome token's weights on SGD when config.connectomeOptimiser is 'sgd'. */
export function createOptimiser(
  variables: tf.Variable[],
  config: Pick<TrainConfig, 'learningRate' | 'weightDecay' | 'connectomeOptimiser' | 'connectomeLearningRate'>,
): AdamW {
  const sgd = config.connectomeOptimiser === 'sgd' ? { matches: isConnectomeVariable, learningRate: config.connectomeLearningRate } : null;
  return new AdamW(variables, config.learningRate, config.weightDecay, sgd);
}
