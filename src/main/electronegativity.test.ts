import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json';

const ROOT = join(import.meta.dirname, '..', '..');

interface Finding {
  check: string;
  file: string;
}

/**
 * Runs Doyensec's Electronegativity over src/ (the Electron entry, the preload, the renderer's
 * HTML and code) for the Electron version we ship. Its one networked check, which downloads
 * Electron's release list, is left out: it cannot run offline, and the version is pinned here.
 */
function electronegativity(): Finding[] {
  const bin = join(createRequire(import.meta.url).resolve('@doyensec/electronegativity/package.json'), '..', 'dist', 'index.js');
  const electron = packageJson.optionalDependencies.electron.replace(/^[^\d]*/, '');
  const out = mkdtempSync(join(tmpdir(), 'neurolip-electronegativity-'));
  try {
    const sarif = join(out, 'findings.sarif');
    const run = spawnSync(
      process.execPath,
      [bin, '-i', join(ROOT, 'src'), '-r', '-e', electron, '-x', 'AvailableSecurityFixesGlobalCheck', '-o', sarif],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(sarif, 'utf8')) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    return report.runs[0]!.results.map((result) => ({
      check: result.ruleId,
      file: result.locations[0]!.physicalLocation.artifactLocation.uri,
    }));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The rows of docs/security.md's "Electronegativity" table: `CHECK` | `file` | why it stays. */
function justified(): Finding[] {
  const doc = readFileSync(join(ROOT, 'docs', 'security.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Electronegativity'));
  return [...section.matchAll(/^\| `([A-Z_]+)` +\| `([^`]+)` +\| (.+) \|$/gm)].map((row) => {
    expect(row[3]!.trim().length, `the justification of ${row[1]}`).toBeGreaterThan(40);
    return { check: row[1]!, file: row[2]! };
  });
}

describe('Electronegativity over the Electron code', () => {
  it('finds nothing that docs/security.md does not justify, and docs/security.md justifies nothing it no longer finds', () => {
    const findings = electronegativity();
    const key = (f: Finding): string => `${f.check} in ${f.file}`;
    console.log(`Electronegativity findings: ${findings.length} (${findings.map(key).join(', ') || 'none'})`);
    expect(findings.map(key).sort()).toEqual(justified().map(key).sort());
  }, 90_000);
});
