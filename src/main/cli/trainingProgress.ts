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
 * the command trains. On a terminal one line is rewritten at every epoch; into a file or a pipe
 * (a comparison left running under nohup) a line is written at each fold event and at most once a
 * minute for epochs, so the log stays short and says how far the command got.
 *
 * Runs of different kinds (a comparison's variants) take very different times: `logreg-fc` takes
 * seconds where a network takes minutes. So each run is timed by its kind: a run still to come
 * is expected to take as long as the runs of its kind this command has finished, and, where none
 * has, as long as the current run is taking. The current run is timed by the work it has done
 * since it started (a resumed run's stored folds are not its speed).
 */
export class TrainingProgress {
  private current = 0;
  private currentStartedMs: number;
  private currentResumed = 0;
  /** Seconds a whole run of each kind took, over the runs this command finished. */
  private readonly wholeRunSeconds = new Map<string, number[]>();
  private lastWrittenMs = -Infinity;

  /** `kinds`: each run's kind, in the order the runs train. */
  constructor(
    private readonly kinds: string[],
    private readonly out: ProgressSink = process.stderr,
    private readonly now: () => number = Date.now,
  ) {
    this.currentStartedMs = now();
  }

  report(label: string, progress: RunProgress): void {
    this.currentResumed = progress.resumedFraction;
    const left = timeLeftText(this.secondsLeftInAll(progress.fraction));
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
    const whole = this.currentWholeSeconds(1);
    const kind = this.kinds[this.current];
    if (whole !== null && kind !== undefined) {
      const times = this.wholeRunSeconds.get(kind) ?? [];
      times.push(whole);
      this.wholeRunSeconds.set(kind, times);
    }
    this.current += 1;
    this.currentStartedMs = this.now();
    this.currentResumed = 0;
    if (this.out.isTTY) this.out.write('\n');
  }

  /** The current run's time left at `fraction` done, plus every later run's expected time; null while unknown. */
  private secondsLeftInAll(fraction: number): number | null {
    const whole = this.currentWholeSeconds(fraction) ?? this.finishedMean(this.kinds[this.current]);
    if (whole === null) return null;
    let seconds = whole * (1 - fraction);
    for (const kind of this.kinds.slice(this.current + 1)) seconds += this.finishedMean(kind) ?? whole;
    return seconds;
  }

  /** How long the current run would take from start to end at the speed it has shown by `fraction`. */
  private currentWholeSeconds(fraction: number): number | null {
    const elapsed = (this.now() - this.currentStartedMs) / 1000;
    const left = secondsLeft(elapsed, fraction, this.currentResumed);
    return left === null ? null : (elapsed + left) / (1 - this.currentResumed);
  }

  private finishedMean(kind: string | undefined): number | null {
    const times = kind === undefined ? undefined : this.wholeRunSeconds.get(kind);
    return times ? times.reduce((sum, t) => sum + t, 0) / times.length : null;
  }
}
