import { join } from 'node:path';
import { FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses';

/**
 * The packaged app's Electron fuses (docs/packaging.md, docs/security.md). RunAsNode, NODE_OPTIONS
 * and --inspect off: the shipped binary cannot be used as a plain Node.js that runs any script.
 * ASAR integrity and ASAR-only loading on: a tampered app.asar is refused (macOS and Windows).
 */
export const FUSES = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: false,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

/** Where electron-builder put the Electron binary for this platform. */
export function packagedBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${name}.exe`);
  return join(appOutDir, packager.executableName);
}

/** electron-builder's afterPack hook: flips the fuses before the app is signed and wrapped. */
export default async function afterPack(context) {
  const arm64Mac = context.electronPlatformName === 'darwin' && context.arch === 3;
  await flipFuses(packagedBinary(context), { ...FUSES, resetAdHocDarwinSignature: arm64Mac });
}
