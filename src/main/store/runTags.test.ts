import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/tempDir';
import { MIGRATIONS } from './migrations';
import { NEUROLIP_APPLICATION_ID, openProjectFile } from './projectFile';
import { RunRepository } from './runRepository';

const TAGS_MIGRATION = MIGRATIONS.findIndex((sql) => sql.includes('CREATE TABLE run_tags'));

/** A project at the schema just before run tags had their own table, with runs tagged in the old JSON column. */
function projectBeforeTags(path: string, tags: string[]): void {
  const raw = new Database(path);
  raw.pragma(`application_id = ${NEUROLIP_APPLICATION_ID}`);
  for (const sql of MIGRATIONS.slice(0, TAGS_MIGRATION)) raw.exec(sql);
  raw.pragma(`user_version = ${TAGS_MIGRATION}`);
  raw.prepare("INSERT INTO cohorts (id, name, roi_count, layout) VALUES (1, 'c', 4, 'fc')").run();
  const insert = raw.prepare(
    "INSERT INTO runs (cohort_id, name, variant, config, status, seed, tags) VALUES (1, ?, 'logreg-fc', '{}', 'done', 0, ?)",
  );
  tags.forEach((json, k) => insert.run(`run ${k + 1}`, json));
  raw.close();
}

describe('run tags', () => {
  const tempDir = useTempDir();

  it('moves tags from the old JSON column into their own table, after a backup', () => {
    expect(TAGS_MIGRATION).toBeGreaterThan(0);
    const path = join(tempDir(), 'tagged.neurolip');
    projectBeforeTags(path, ['["baseline", " fair ", "baseline", ""]', '[]', 'not json']);
    const project = openProjectFile(path);
    expect(project.backupPath).toBe(`${path}.schema-v${TAGS_MIGRATION}.bak`);
    expect(existsSync(project.backupPath!)).toBe(true);
    const runs = new RunRepository(project.db);
    expect(runs.list().map((r) => [r.name, r.tags])).toEqual([
      ['run 1', ['baseline', 'fair']],
      ['run 2', []],
      ['run 3', []],
    ]);
    const columns = (project.db.prepare('PRAGMA table_info(runs)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('tags');
    project.db.close();
  });

  it('adds a tag once, removes it, and drops the tags with the run', () => {
    const project = openProjectFile(join(tempDir(), 'new.neurolip'));
    project.db.prepare("INSERT INTO cohorts (id, name, roi_count, layout) VALUES (1, 'c', 4, 'fc')").run();
    const runs = new RunRepository(project.db);
    const id = runs.create({ cohortId: 1, name: 'r', variant: 'logreg-fc', config: {}, backend: 'wasm', versions: {}, seed: 0 });
    expect(runs.addTag(id, 'pilot')).toBe(true);
    expect(runs.addTag(id, 'pilot')).toBe(true);
    expect(runs.addTag(id, 'Another tag')).toBe(true);
    expect(runs.addTag(id + 1, 'pilot')).toBe(false);
    expect(runs.list()[0]!.tags).toEqual(['Another tag', 'pilot']);
    expect(runs.removeTag(id, 'pilot')).toBe(true);
    expect(runs.removeTag(id, 'pilot')).toBe(false);
    expect(runs.list()[0]!.tags).toEqual(['Another tag']);
    runs.finish(id, 'done');
    expect(runs.delete(id)).toBe(true);
    expect(project.db.prepare('SELECT count(*) AS n FROM run_tags').get()).toEqual({ n: 0 });
    project.db.close();
  });
});
