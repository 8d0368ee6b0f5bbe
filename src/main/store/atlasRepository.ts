import type Database from 'better-sqlite3';
import type { Atlas } from '../cohort/atlas/atlas';

/** Atlases stored in the project (each cohort's atlas is copied in, so the project stands alone). */
export class AtlasRepository {
  constructor(private readonly db: Database.Database) {}

  names(): string[] {
    return (this.db.prepare('SELECT name FROM atlases ORDER BY name').all() as { name: string }[]).map((row) => row.name);
  }

  byName(name: string): Atlas | undefined {
    const atlas = this.db.prepare('SELECT id, name, space, provenance FROM atlases WHERE name = ?').get(name) as
      { id: number; name: string; space: string; provenance: string } | undefined;
    if (!atlas) return undefined;
    const rois = this.db
      .prepare('SELECT code, label, x, y, z FROM atlas_rois WHERE atlas_id = ? ORDER BY roi_index')
      .all(atlas.id) as Atlas['rois'];
    return { name: atlas.name, space: atlas.space, provenance: JSON.parse(atlas.provenance) as Record<string, unknown>, rois };
  }
}
