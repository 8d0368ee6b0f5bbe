import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFingerprint } from '../../scripts/sourceFingerprint.mjs';
import { useTempDir } from '../test-support/tempDir';
import { SOURCE_FINGERPRINT } from './sourceFingerprint';

describe('the source fingerprint', () => {
  const tempDir = useTempDir();

  it('is the fingerprint of the sources these tests run', () => {
    expect(SOURCE_FINGERPRINT).toMatch(/^[0-9a-f]{12}$/);
    expect(SOURCE_FINGERPRINT).toBe(sourceFingerprint(process.cwd()));
  });

  it('changes with a source file of the main process or shared code, and not with a test', () => {
    const root = tempDir();
    const write = (path: string, text: string) => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write('src/main/model/a.ts', 'export const a = 1;');
    write('src/shared/b.ts', 'export const b = 2;');
    const first = sourceFingerprint(root);
    write('src/main/model/a.test.ts', 'it();');
    write('src/renderer/c.ts', 'export const c = 3;');
    expect(sourceFingerprint(root)).toBe(first);
    write('src/shared/b.ts', 'export const b = 3;');
    expect(sourceFingerprint(root)).not.toBe(first);
  });
});
