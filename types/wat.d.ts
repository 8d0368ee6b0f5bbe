/** A WebAssembly text file, assembled by scripts/watPlugin.ts: the bytes of its module. */
declare module '*.wat' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
