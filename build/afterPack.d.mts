import type { FuseV1Config } from '@electron/fuses';

export declare const FUSES: FuseV1Config;
export declare function packagedBinary(context: {
  appOutDir: string;
  electronPlatformName: string;
  packager: { appInfo: { productFilename: string }; executableName: string };
}): string;
declare function afterPack(context: {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { appInfo: { productFilename: string }; executableName: string };
}): Promise<void>;
export default afterPack;
