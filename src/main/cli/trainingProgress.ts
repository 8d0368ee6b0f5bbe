import { secondsLeft, timeLeftText } from '../../shared/timeLeft';
import type { RunProgress } from '../train/runExperiment';

/** Where progress goes: process.stderr, or anything with its `isTTY` and `write`. */
export interface ProgressSink {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** Into a file or a pipe, epoch lines are written at most this often (fold events always). */
const LOG_EPOCH_EVERY_MS = 60_000;

/**
 * The CLI's training progress on stderr, each line ending with the time left over all the runs
 * the command trains, from the work done since it started (a resumed run's stored folds are not its
 * speed). On a terminal one line is rewritten at every epoch; into a file or a pipe
 * (a comparison left running under nohup) a line is written at each fold event and at most once a
 * minute for epochs, so the log stays short and says how far the command got.
 */
export class TrainingProgress {
  private readonly startedMs: number;
  private finishedRuns = 0;
  /** The finished runs' shares stored before this command resumed them. */
  private finishedResumed = 0;
  private currentResumed = 0;
  private lastWrittenMs = -Infinity;

  constructor(
    private readonly runs: number,
    private readonly out: ProgressSink = process.stderr,
    private readonly now: () => number = Date.now,
  ) {
    this.startedMs = now();
  }

  report(label: string, progress: RunProgress): void {
    this.currentResumed = progress.resumedFraction;
    const fraction = (this.finishedRuns + progress.fraction) / this.runs;
    const alreadyDone = (this.finishedResumed + this.currentResumed) / this.runs;
    const left = timeLeftText(secondsLeft((this.now() - this.startedMs) / 1000, fraction, alreadyDone));
    const epoch = progress.epoch;
    const loss = epoch?.terms.loss;
    const epochText = epoch
      ? `: ${loss === undefined ? '' : `loss ${loss.toFixed(4)}, `}val AUC ${epoch.valAuc.toFixed(3)}, ${epoch.seconds.toFixed(1)} s`
      : '';
    const line = `${label}${progress.message}${epochText}${left ? `; ${left}` : ''}`;
    if (this.out.isTTY) {
      this.out.write(`\r${line}\x1b[K`);
      return;
    }
    if (epoch && this.now() - this.lastWrittenMs < LOG_EPOCH_EVERY_MS) return;
    this.lastWrittenMs = this.now();
    this.out.write(`${line}\n`);
  }

  /** One run finished: the next starts on a line of its own. */
  runDone(): void {
    this.finishedRuns += 1;
    this.finishedResumed += this.currentResumed;
    this.currentResumed = 0;
    if (this.out.isTTY) this.out.write('\n');
  }
}
