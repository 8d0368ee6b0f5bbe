import type Database from 'better-sqlite3';
import { float32FromBlob, toBlob } from './blobs';

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
  tags: string[];
}

/** One stored training epoch: mean loss terms, validation AUC (null when undefined) and its duration. */
export interface StoredEpoch {
  fold: number;
  epoch: number;
  seconds: number;
  valAuc: number | null;
  terms: Record<string, number>;
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
          "INSERT INTO runs (cohort_id, name, variant, config, status, backend, versions, seed, owner_pid) VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?)",
        )
        .run(
          run.cohortId,
          run.name,
          run.variant,
          JSON.stringify(run.config),
          run.backend,
          JSON.stringify(run.versions),
          run.seed,
          process.pid,
        ).lastInsertRowid,
    );
  }

  /** A run is running again (resumed) in this process. */
  reopen(runId: number): void {
    this.db
      .prepare("UPDATE runs SET status = 'running', error = NULL, finished_at = NULL, owner_pid = ? WHERE id = ?")
      .run(process.pid, runId);
  }

  /**
   * Marks as interrupted the runs left 'running' by a process that no longer exists (the app or
   * the CLI was killed). They can be resumed from their last checkpoint.
   */
  markInterrupted(): number {
    const running = this.db.prepare("SELECT id, owner_pid AS pid FROM runs WHERE status = 'running'").all() as {
      id: number;
      pid: number | null;
    }[];
    let marked = 0;
    for (const run of running) {
      if (run.pid !== null && processAlive(run.pid)) continue;
      this.db.prepare("UPDATE runs SET status = 'interrupted' WHERE id = ?").run(run.id);
      marked += 1;
    }
    return marked;
  }

  config(runId: number): { cohortId: number; config: Record<string, unknown>; status: string; name: string } | undefined {
    const row = this.db.prepare('SELECT cohort_id AS cohortId, config, status, name FROM runs WHERE id = ?').get(runId) as
      { cohortId: number; config: string; status: string; name: string } | undefined;
    return row ? { ...row, config: JSON.parse(row.config) as Record<string, unknown> } : undefined;
  }

  saveCheckpoint(runId: number, fold: number, epoch: number, blobs: { weights: Buffer; state: Buffer }): void {
    this.db
      .prepare(
        "INSERT OR REPLACE INTO checkpoints (run_id, fold, epoch, weights, optimizer, saved_at) VALUES (?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
      )
      .run(runId, fold, epoch, blobs.weights, blobs.state);
  }

  checkpoint(runId: number, fold: number): { weights: Buffer; state: Buffer } | undefined {
    const row = this.db.prepare('SELECT weights, optimizer FROM checkpoints WHERE run_id = ? AND fold = ?').get(runId, fold) as
      { weights: Buffer; optimizer: Buffer } | undefined;
    return row ? { weights: row.weights, state: row.optimizer } : undefined;
  }

  /** Folds already finished (and stored) for a run. */
  doneFolds(runId: number): number[] {
    return (
      this.db.prepare("SELECT fold FROM folds WHERE run_id = ? AND status = 'done' ORDER BY fold").all(runId) as { fold: number }[]
    ).map((r) => r.fold);
  }

  /** A finished fold's stored results, as saved by saveFold (for resuming a run). */
  storedFold(runId: number, fold: number) {
    const row = this.db.prepare('SELECT best_epoch AS bestEpoch FROM folds WHERE run_id = ? AND fold = ?').get(runId, fold) as {
      bestEpoch: number;
    };
    const predictions = this.db
      .prepare('SELECT subject_id AS subjectId, score FROM predictions WHERE run_id = ? AND fold = ?')
      .all(runId, fold) as { subjectId: number; score: number }[];
    const maps = this.db
      .prepare("SELECT subject_id AS subjectId, token, weights FROM attention_maps WHERE run_id = ? AND fold = ? AND scope = 'subject'")
      .all(runId, fold) as { subjectId: number; token: string; weights: Buffer }[];
    const epochs = this.db
      .prepare('SELECT epoch, losses, val_auc AS valAuc, seconds FROM epochs WHERE run_id = ? AND fold = ? ORDER BY epoch')
      .all(runId, fold) as { epoch: number; losses: string; valAuc: number | null; seconds: number }[];
    const metrics = this.db.prepare('SELECT name, value FROM metrics WHERE run_id = ? AND scope = ?').all(runId, `fold:${fold}`) as {
      name: string;
      value: number | null;
    }[];
    return {
      bestEpoch: row.bestEpoch,
      predictions,
      maps: maps.map((m) => ({ ...m, weights: float32FromBlob(m.weights) })),
      epochs,
      metrics: Object.fromEntries(metrics.map((m) => [m.name, m.value ?? Number.NaN])),
    };
  }

  finish(runId: number, status: 'done' | 'failed' | 'cancelled', error: string | null = null): void {
    this.db
      .prepare("UPDATE runs SET status = ?, error = ?, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?")
      .run(status, error, runId);
  }

  /** Writes one finished fold in one transaction, and drops its checkpoint, which only a resume of the unfinished fold needs. */
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
      this.db.prepare('DELETE FROM checkpoints WHERE run_id = ? AND fold = ?').run(runId, fold.index);
      for (const e of fold.epochs) this.saveEpoch(runId, fold.index, e);
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

  /** Stores an epoch as soon as it ends, so curves can be read back while the run is still training. */
  saveEpoch(runId: number, fold: number, e: { epoch: number; terms: Record<string, number>; valAuc: number; seconds: number }): void {
    this.db
      .prepare('INSERT OR REPLACE INTO epochs (run_id, fold, epoch, losses, val_auc, seconds) VALUES (?, ?, ?, ?, ?, ?)')
      .run(runId, fold, e.epoch, JSON.stringify(e.terms), Number.isFinite(e.valAuc) ? e.valAuc : null, e.seconds);
  }

  /** Every stored epoch of a run, by fold then epoch. */
  epochs(runId: number): StoredEpoch[] {
    const rows = this.db
      .prepare('SELECT fold, epoch, seconds, val_auc AS valAuc, losses FROM epochs WHERE run_id = ? ORDER BY fold, epoch')
      .all(runId) as { fold: number; epoch: number; seconds: number; valAuc: number | null; losses: string }[];
    return rows.map(({ losses, ...row }) => ({ ...row, terms: JSON.parse(losses) as Record<string, number> }));
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

  /** Out-of-fold predictions with each subject's true group (1 = any group other than the mapping's control). */
  predictions(runId: number): { subjectId: number; fold: number; label: number; score: number }[] {
    return this.db
      .prepare(
        `SELECT p.subject_id AS subjectId, p.fold, p.score,
                CASE WHEN json_extract(s.phenotype, '$.diagnosis') = json_extract(c.mapping, '$.diagnosis.control') THEN 0 ELSE 1 END AS label
         FROM predictions p JOIN subjects s ON s.id = p.subject_id JOIN cohorts c ON c.id = s.cohort_id
         WHERE p.run_id = ? ORDER BY p.subject_id`,
      )
      .all(runId) as { subjectId: number; fold: number; label: number; score: number }[];
  }

  rename(runId: number, name: string): boolean {
    return this.db.prepare('UPDATE runs SET name = ? WHERE id = ?').run(name, runId).changes > 0;
  }

  /** Deletes a run and everything it produced (folds, epochs, predictions, maps, metrics, checkpoints). */
  delete(runId: number): boolean {
    return this.db.prepare("DELETE FROM runs WHERE id = ? AND status != 'running'").run(runId).changes > 0;
  }

  /** Adds a tag to a run (no-op when it has it already); false when there is no such run. */
  addTag(runId: number, tag: string): boolean {
    if (!this.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(runId)) return false;
    this.db.prepare('INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)').run(runId, tag);
    return true;
  }

  /** Removes a tag from a run; false when the run did not have it. */
  removeTag(runId: number, tag: string): boolean {
    return this.db.prepare('DELETE FROM run_tags WHERE run_id = ? AND tag = ?').run(runId, tag).changes > 0;
  }

  list(): RunRow[] {
    const rows = this.db
      .prepare(
        `SELECT id, cohort_id AS cohortId, name, variant, status, backend, seed, created_at AS createdAt, finished_at AS finishedAt, error,
                (SELECT json_group_array(tag) FROM (SELECT tag FROM run_tags WHERE run_id = runs.id ORDER BY tag)) AS tags
         FROM runs ORDER BY id`,
      )
      .all() as (Omit<RunRow, 'tags'> & { tags: string })[];
    return rows.map((row) => ({ ...row, tags: JSON.parse(row.tags) as string[] }));
  }

  /** The software that trained the run, as stored when it started (app, source fingerprint, tfjs, node); {} when unknown. */
  versions(runId: number): Record<string, string> {
    const row = this.db.prepare('SELECT versions FROM runs WHERE id = ?').get(runId) as { versions: string } | undefined;
    const stored = row ? (JSON.parse(row.versions) as Record<string, unknown>) : {};
    return Object.fromEntries(Object.entries(stored).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  }

  /** The run's stored result summary (the JSON the CLI prints), if it finished. */
  summary(runId: number): unknown {
    const row = this.db.prepare("SELECT detail FROM metrics WHERE run_id = ? AND scope = 'run' AND name = 'summary'").get(runId) as
      { detail: string } | undefined;
    return row ? JSON.parse(row.detail) : undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
