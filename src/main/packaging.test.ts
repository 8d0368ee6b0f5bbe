import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json';
import afterPack, { FUSES } from '../../build/afterPack.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

interface BuilderConfig {
  files: string[];
  asar: boolean;
  npmRebuild: boolean;
  afterPack: string;
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
}

const config = JSON.parse(readFileSync(join(ROOT, 'electron-builder.json'), 'utf8')) as BuilderConfig;

/**
 * A stand-in for the Electron executable: bytes around the fuse sentinel and a version-1 wire of
 * nine fuses, all enabled, laid out as in Electron's own binary.
 */
function fakeElectron(path: string): void {
  const wire = Buffer.concat([Buffer.from([1, 9]), Buffer.alloc(9, FuseState.ENABLE)]);
  writeFileSync(path, Buffer.concat([Buffer.alloc(4096, 7), Buffer.from(SENTINEL), wire, Buffer.alloc(4096, 7)]));
}

describe('packaging', () => {
  it('builds AppImage, deb, NSIS and dmg from the built app, in an ASAR, with the fuse hook', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.asar).toBe(true);
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'resources/**', 'package.json']));
    expect(config.npmRebuild).toBe(true);
    expect(config.afterPack).toBe('./build/afterPack.mjs');
    expect(packageJson.scripts.package).toBe('npm run build && electron-builder --config electron-builder.json');
  });

  it('keeps npm ci free of downloads: the packaging tools are dev dependencies without install scripts of ours', () => {
    expect(Object.keys(packageJson.devDependencies)).toEqual(expect.arrayContaining(['electron-builder', '@electron/fuses']));
    expect(Object.keys(packageJson.dependencies)).not.toContain('electron-builder');
    expect(Object.keys(packageJson.scripts)).not.toEqual(expect.arrayContaining(['postinstall']));
    expect(Object.keys(packageJson.scripts)).not.toContain('install');
  });

  it('the afterPack hook turns RunAsNode, NODE_OPTIONS and --inspect off and ASAR integrity on in the packaged binary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurolip-fuses-'));
    try {
      const binary = join(dir, 'neurolip-studio');
      fakeElectron(binary);
      await afterPack({
        appOutDir: dir,
        electronPlatformName: 'linux',
        arch: 1,
        packager: { appInfo: { productFilename: 'NeuroLIP Studio' }, executableName: 'neurolip-studio' },
      });
      const wire = (await getCurrentFuseWire(binary)) as unknown as Record<number, number>;
      expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
      expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
      expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
      expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
      expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
      expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
      expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
      expect(FUSES.strictlyRequireAllFuses).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
