import { AdamW } from '../model/adamW';
import { isConnectomeVariable, type NeuroLIPModel } from '../model/neurolipModel';

/**
 * The optimiser for `models` (an ensemble's members), each variable stepped as its own model's
 * configuration asks: AdamW, with the whole-connectome token's weights on SGD when the model's
 * connectomeOptimiser is 'sgd'. Members of a mixed ensemble can thus learn at different rates.
 */
export function createOptimiser(models: Pick<NeuroLIPModel, 'variables' | 'config'>[]): AdamW {
  const variables = models.flatMap((model) => model.variables);
  const settings = models.flatMap(({ variables, config }) =>
    variables.map((variable) => {
      const sgd = config.connectomeOptimiser === 'sgd' && isConnectomeVariable(variable.name);
      return { learningRate: sgd ? config.connectomeLearningRate : config.learningRate, weightDecay: config.weightDecay, sgd };
    }),
  );
  return new AdamW(variables, settings);
}
