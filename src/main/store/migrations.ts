/**
 * Versioned schema migrations. Migration i (0-based) takes a project from user_version i to i + 1.
 * Never edit a migration that has shipped: add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE atlases (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    space TEXT NOT NULL DEFAULT 'MNI152',
    source TEXT NOT NULL,
    provenance TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );
  CREATE TABLE atlas_rois (
    atlas_id INTEGER NOT NULL REFERENCES atlases(id) ON DELETE CASCADE,
    roi_index INTEGER NOT NULL,
    label TEXT NOT NULL,
    x REAL, y REAL, z REAL,
    network TEXT,
    PRIMARY KEY (atlas_id, roi_index)
  );
  CREATE TABLE cohorts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    atlas_id INTEGER REFERENCES atlases(id),
    roi_count INTEGER NOT NULL,
    layout TEXT NOT NULL,
    mapping TEXT NOT NULL DEFAULT '{}',
    ground_truth TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );
  CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    cohort_id INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    options TEXT NOT NULL,
    summary TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );
  CREATE INDEX imports_fingerprint ON imports(fingerprint);
  CREATE TABLE import_files (
    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (import_id, path)
  );
  CREATE TABLE subjects (
    id INTEGER PRIMARY KEY,
    cohort_id INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    site TEXT,
    phenotype TEXT NOT NULL DEFAULT '{}',
    qc TEXT NOT NULL DEFAULT '{}',
    UNIQUE (cohort_id, external_id)
  );
  CREATE TABLE connectivity (
    subject_id INTEGER PRIMARY KEY REFERENCES subjects(id) ON DELETE CASCADE,
    roi_count INTEGER NOT NULL,
    kind TEXT NOT NULL DEFAULT 'fisher-z-correlation',
    matrix BLOB NOT NULL,
    missing_rois BLOB NOT NULL
  );
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    cohort_id INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    variant TEXT NOT NULL,
    config TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
    backend TEXT,
    versions TEXT NOT NULL DEFAULT '{}',
    seed INTEGER NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    error TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    finished_at TEXT
  );
  CREATE TABLE folds (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    fold INTEGER NOT NULL,
    train_subjects BLOB NOT NULL,
    val_subjects BLOB NOT NULL,
    test_subjects BLOB NOT NULL,
    best_epoch INTEGER,
    status TEXT NOT NULL DEFAULT 'pending',
    PRIMARY KEY (run_id, fold)
  );
  CREATE TABLE epochs (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    fold INTEGER NOT NULL,
    epoch INTEGER NOT NULL,
    losses TEXT NOT NULL,
    val_auc REAL,
    seconds REAL NOT NULL,
    PRIMARY KEY (run_id, fold, epoch)
  );
  CREATE TABLE checkpoints (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    fold INTEGER NOT NULL,
    epoch INTEGER NOT NULL,
    weights BLOB NOT NULL,
    optimizer BLOB,
    PRIMARY KEY (run_id, fold)
  );
  CREATE TABLE predictions (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    fold INTEGER NOT NULL,
    subject_id INTEGER NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
    score REAL NOT NULL,
    predicted TEXT NOT NULL,
    probabilities TEXT NOT NULL,
    PRIMARY KEY (run_id, subject_id, fold)
  );
  CREATE TABLE attention_maps (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    fold INTEGER NOT NULL,
    subject_id INTEGER REFERENCES subjects(id) ON DELETE CASCADE,
    token TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('subject', 'group', 'contrast')),
    roi_count INTEGER NOT NULL,
    weights BLOB NOT NULL
  );
  CREATE INDEX attention_maps_run ON attention_maps(run_id, token, scope);
  CREATE TABLE metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    name TEXT NOT NULL,
    value REAL,
    ci_low REAL,
    ci_high REAL,
    detail TEXT,
    PRIMARY KEY (run_id, scope, name)
  );
  `,
  `
  ALTER TABLE atlas_rois ADD COLUMN code INTEGER;
  CREATE TABLE cohort_rois (
    cohort_id INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    roi_index INTEGER NOT NULL,
    column_name TEXT NOT NULL,
    atlas_roi_index INTEGER,
    PRIMARY KEY (cohort_id, roi_index)
  );
  CREATE TABLE timeseries (
    subject_id INTEGER PRIMARY KEY REFERENCES subjects(id) ON DELETE CASCADE,
    time_points INTEGER NOT NULL,
    roi_count INTEGER NOT NULL,
    series BLOB NOT NULL
  );
  `,
  `
  ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
  ALTER TABLE checkpoints ADD COLUMN saved_at TEXT;
  `,
  `
  CREATE TABLE run_tags (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (run_id, tag)
  );
  CREATE INDEX run_tags_tag ON run_tags(tag);
  INSERT OR IGNORE INTO run_tags (run_id, tag)
    SELECT runs.id, trim(value) FROM runs, json_each(runs.tags) WHERE json_valid(runs.tags) AND trim(value) != '';
  ALTER TABLE runs DROP COLUMN tags;
  `,
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
