/**
 * TensorFlow.js for model code: tfjs-core's API, with every gradient registered. tfjs-core alone
 * registers none; the @tensorflow/tfjs package registers them all in the global registry that
 * every back end shares (tfjs-node requires that package too).
 */
import '@tensorflow/tfjs';

export * from '@tensorflow/tfjs-core';
