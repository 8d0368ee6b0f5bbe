import type Database from 'better-sqlite3';
import { toBlob } from './blobs';

export interface RunRow {
  id: number;
  cohortId: number;
  name: string;
  variant: string;
  status: string;
  backend: string | null;
  seed: number;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
}

/** Training runs and everything they produce: folds, epochs, predictions, maps, metrics. */
export class RunRepository {
  constructor(private readonly db: Database.Database) {}

  create(run: {
    cohortId: number;
    name: string;
    variant: string;
    config: unknown;
    backend: string;
    versions: unknown;
    seed: number;
  }): number {
    return Number(
      this.db
        .prepare(
          "INSERT INTO runs (cohort_id, name, variant, config, status, backend, versions, seed) VALUES (?, ?, ?, ?, 'running', ?, ?, ?)",
        )
        .run(run.cohortId, run.name, run.variant, JSON.stringify(run.config), run.backend, JSON.stringify(run.versions), run.seed)
        .lastInsertRowid,
    );
  }

  finish(runId: number, status: 'done' | 'failed' | 'cancelled', error: string | null = null): void {
    this.db
      .prepare("UPDATE runs SET status = ?, error = ?, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?")
      .run(status, error, runId);
  }

  /** Writes one finished fold in one transaction. */
  saveFold(
    runId: number,
    fold: {
      index: number;
      train: number[];
      validation: number[];
      test: number[];
      bestEpoch: number;
      epochs: { epoch: number; terms: Record<string, number>; valAuc: number; seconds: number }[];
      predictions: { subjectId: number; score: number; predicted: string; probabilities: Record<string, number> }[];
      maps: { subjectId: number | null; token: string; scope: 'subject' | 'group' | 'contrast'; weights: Float32Array }[];
    },
  ): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          "INSERT INTO folds (run_id, fold, train_subjects, val_subjects, test_subjects, best_epoch, status) VALUES (?, ?, ?, ?, ?, ?, 'done')",
        )
        .run(
          runId,
          fold.index,
          toBlob(Int32Array.from(fold.train)),
          toBlob(Int32Array.from(fold.validation)),
          toBlob(Int32Array.from(fold.test)),
          fold.bestEpoch,
        );
      const epoch = this.db.prepare('INSERT INTO epochs (run_id, fold, epoch, losses, val_auc, seconds) VALUES (?, ?, ?, ?, ?, ?)');
      for (const e of fold.epochs)
        epoch.run(runId, fold.index, e.epoch, JSON.stringify(e.terms), Number.isFinite(e.valAuc) ? e.valAuc : null, e.seconds);
      const prediction = this.db.prepare(
        'INSERT INTO predictions (run_id, fold, subject_id, score, predicted, probabilities) VALUES (?, ?, ?, ?, ?, ?)',
      );
      for (const p of fold.predictions)
        prediction.run(runId, fold.index, p.subjectId, p.score, p.predicted, JSON.stringify(p.probabilities));
      const map = this.db.prepare(
        'INSERT INTO attention_maps (run_id, fold, subject_id, token, scope, roi_count, weights) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      for (const m of fold.maps) map.run(runId, fold.index, m.subjectId, m.token, m.scope, m.weights.length, toBlob(m.weights));
    })();
  }

  saveMetrics(
    runId: number,
    rows: { scope: string; name: string; value: number | null; ciLow?: number | null; ciHigh?: number | null; detail?: unknown }[],
  ): void {
    const insert = this.db.prepare(
      'INSERT OR REPLACE INTO metrics (run_id, scope, name, value, ci_low, ci_high, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const finite = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);
    this.db.transaction(() => {
      for (const row of rows)
        insert.run(
          runId,
          row.scope,
          row.name,
          finite(row.value),
          finite(row.ciLow),
          finite(row.ciHigh),
          row.detail === undefined ? null : JSON.stringify(row.detail),
        );
    })();
  }

  list(): RunRow[] {
    return this.db
      .prepare(
        'SELECT id, cohort_id AS cohortId, name, variant, status, backend, seed, created_at AS createdAt, finished_at AS finishedAt, error FROM runs ORDER BY id',
      )
      .all() as RunRow[];
  }

  /** The run's stored result summary (the JSON the CLI prints), if it finished. */
  summary(runId: number): unknown {
    const row = this.db.prepare("SELECT detail FROM metrics WHERE run_id = ? AND scope = 'run' AND name = 'summary'").get(runId) as
      { detail: string } | undefined;
    return row ? JSON.parse(row.detail) : undefined;
  }
}
