import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli';

/** `neurolip bench train` on a small cohort, with the PyTorch reference (../shared/reference) in the same run (256 subjects, so that the reference's vocabulary, built from the values it sees, holds every token ours does). */
describe('training benchmark', () => {
  it('times the default (its tangent-space inputs, readout and offsets computed first), neurolip-v1 and the reference, and prints their ratios', () => {
    const { code, stdout, stderr } = runCli(['bench', 'train', '--subjects', '256', '--rois', '16', '--epochs', '2'], {}, 300_000);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('### Training: 256 subjects x 16 ROIs, 2 epochs, batch 64');
    expect(stdout).toMatch(
      /\| NeuroLIP Studio \(TensorFlow\.js\), `neurolip` \(default\) \(2 members, \d+ parameters; its fixed connectome readout and its offsets per sex, site and ageGroup fitted once per fold in \d+\.\d s, not in the epoch; its tangent-space inputs computed once per fold in \d+\.\d s, not in the epoch\) \| wasm \| \d+\.\d\d \|/,
    );
    expect(stdout).toMatch(/\| NeuroLIP Studio \(TensorFlow\.js\), `neurolip-v1` \((\d+) parameters\) \| wasm \|/);
    const ours = /`neurolip-v1` \((\d+) parameters\)/.exec(stdout)![1];
    const reference = /\| PyTorch reference \S+, 2 threads \((\d+) parameters\) \| cpu \| \d+\.\d\d \|/.exec(stdout);
    expect(reference, stdout).not.toBeNull();
    expect(reference![1]).toBe(ours);
    expect(stdout).toMatch(/Ratio, `neurolip` \/ the PyTorch reference \(its v1 model\): \d+\.\d\dx/);
    expect(stdout).toMatch(/Ratio, `neurolip-v1` \/ the PyTorch reference \(its v1 model\): \d+\.\d\dx/);
  }, 300_000);
});
