import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startServing } from './support/cli';

const tempProject = (name = 'cli.neurolip'): string => join(mkdtempSync(join(tmpdir(), 'neurolip-cli-')), name);

describe('neurolip CLI', () => {
  it('info --json gives versions, schema, back end and project path', () => {
    const project = tempProject();
    const result = runCli(['info', '--project', project, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const info = JSON.parse(result.stdout) as Record<string, unknown> & { backend: { name: string; attempts: unknown[] } };
    expect(info).toMatchObject({ appVersion: '0.1.0', schemaVersion: 2, projectSchemaVersion: 2, projectPath: project, shell: 'cli' });
    expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain(info.backend.name);
    expect(info.backend.attempts.length).toBeGreaterThan(0);
  });

  it('info prints a readable summary', () => {
    const result = runCli(['info', '--project', tempProject()]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^NeuroLIP Studio 0\.1\.0\nProject: /);
    expect(result.stdout).toMatch(/Back end: (tensorflow-gpu|tensorflow|wasm|cpu), /);
  });

  it('refuses a file that is not a project, leaves it as it was, and exits 2', () => {
    const path = tempProject('phenotype.csv');
    writeFileSync(path, 'SUB_ID,DX_GROUP\n50001,1\n');
    const result = runCli(['info', '--project', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${path} is not a NeuroLIP project`);
    expect(readFileSync(path, 'utf8')).toBe('SUB_ID,DX_GROUP\n50001,1\n');
  });

  it('rejects unknown commands and options with usage', () => {
    expect(runCli(['frobnicate']).stderr).toMatch(/Unknown command "frobnicate"/);
    const bad = runCli(['serve', '--prot', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/neurolip serve: Unknown option '--prot'/);
    expect(runCli(['serve', '--port', 'abc']).stderr).toMatch(/--port must be an integer/);
  });

  it('serve prints the URL line with a token', async () => {
    const served = await startServing('serve', ['--project', tempProject()]);
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
    } finally {
      await served.stop();
    }
  });

  it('start falls back to the local server here, and says why in one line', async () => {
    const served = await startServing('start', ['--project', tempProject()], { DISPLAY: '' });
    try {
      const lines = served.output.trim().split('\n');
      expect(lines[0]).toMatch(
        /^No desktop window: (the Electron binary is not installed|there is no display).*\. Serving the same UI in your browser instead\.$/,
      );
      expect(lines[1]).toMatch(/^NeuroLIP Studio at http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    } finally {
      await served.stop();
    }
  });

  it('serve warns when bound beyond loopback', async () => {
    const served = await startServing('serve', ['--project', tempProject(), '--host', '0.0.0.0']);
    try {
      expect(served.output).toMatch(/Warning: listening on 0\.0\.0\.0/);
    } finally {
      await served.stop();
    }
  });
});
