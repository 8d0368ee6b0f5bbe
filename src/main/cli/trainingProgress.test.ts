import { describe, expect, it } from 'vitest';
import type { RunProgress } from '../train/runExperiment';
import { TrainingProgress } from './trainingProgress';

function sink(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

const event = (fraction: number, message: string, resumedFraction = 0): RunProgress => ({
  fold: 0,
  folds: 5,
  fraction,
  resumedFraction,
  message,
  epoch: null,
});

const epoch = (fraction: number, n: number, resumedFraction = 0): RunProgress => ({
  ...event(fraction, `Fold 1 of 5, epoch ${n}`, resumedFraction),
  epoch: { epoch: n - 1, seconds: 6.25, steps: 5, terms: { loss: 1.23456 }, valAuc: 0.7125 },
});

describe('TrainingProgress', () => {
  it('rewrites one terminal line per epoch, with the time left over every run', () => {
    let now = 0;
    const out = sink(true);
    const progress = new TrainingProgress(['neurolip', 'neurolip'], out, () => now);
    now = 60_000;
    progress.report('[1/2] neurolip, seed 0: ', epoch(0.5, 3));
    expect(out.written).toEqual([
      '\r[1/2] neurolip, seed 0: Fold 1 of 5, epoch 3: loss 1.2346, val AUC 0.713, 6.3 s; about 3 min left\x1b[K',
    ]);
    progress.runDone();
    now = 100_000;
    progress.report('[2/2] neurolip, seed 1: ', event(0.5, 'Fold 1 of 5 done'));
    expect(out.written.slice(1)).toEqual(['\n', '\r[2/2] neurolip, seed 1: Fold 1 of 5 done; about 40 s left\x1b[K']);
  });

  it('into a log, writes fold events and at most one epoch line a minute, each on a line of its own', () => {
    let now = 0;
    const out = sink(false);
    const progress = new TrainingProgress(['neurolip'], out, () => now);
    progress.report('', event(0, 'Training 5 folds'));
    now = 10_000;
    progress.report('', epoch(0.1, 1));
    now = 40_000;
    progress.report('', epoch(0.2, 2));
    now = 75_000;
    progress.report('', epoch(0.3, 3));
    progress.report('', event(0.3, 'Fold 1 of 5 done'));
    progress.runDone();
    expect(out.written).toEqual([
      'Training 5 folds\n',
      'Fold 1 of 5, epoch 3: loss 1.2346, val AUC 0.713, 6.3 s; about 3 min left\n',
      'Fold 1 of 5 done; about 3 min left\n',
    ]);
  });

  it('times a resumed run by what it trains now, not by the folds it had stored', () => {
    let now = 0;
    const out = sink(false);
    const progress = new TrainingProgress(['neurolip', 'neurolip'], out, () => now);
    // Run 1 resumes with 3 of 5 folds stored; 10 % of it more takes 30 s.
    progress.report('', event(0.6, 'Training 2 folds', 0.6));
    now = 30_000;
    progress.report('', event(0.7, 'Fold 4 of 5 done', 0.6));
    // Over both runs: 0.35 done, 0.3 of it stored, 0.05 in 30 s, so 0.65 takes 390 s.
    expect(out.written).toEqual(['Training 2 folds\n', 'Fold 4 of 5 done; about 7 min left\n']);
  });

  it('expects each run to take as long as the finished runs of its kind, and unseen kinds as long as the current run', () => {
    let now = 0;
    const out = sink(false);
    const progress = new TrainingProgress(['neurolip', 'logreg-fc', 'neurolip', 'logreg-fc'], out, () => now);
    now = 50_000;
    // Nothing finished: half of run 1 in 50 s, so 50 s for it and 100 s for each run after it.
    progress.report('', event(0.5, 'Fold 3 of 5 done'));
    now = 100_000;
    progress.runDone();
    now = 110_000;
    progress.runDone();
    // The network took 100 s and the logistic regression 10 s: half of run 3 in 50 s leaves 50 + 10 s.
    now = 160_000;
    progress.report('', event(0.5, 'Fold 3 of 5 done'));
    expect(out.written).toEqual(['Fold 3 of 5 done; about 6 min left\n', 'Fold 3 of 5 done; about 1 min left\n']);
  });
});
