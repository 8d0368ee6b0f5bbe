/**
 * How we start Debian's chromium (architecture.md): no sandbox (root in containers), no GPU, and
 * every background network feature off, so a headless chromium never reaches the network. Used to
 * print report PDFs, by the render benchmark and by the browser tests.
 */
export const OFFLINE_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Asks for SwiftShader, the software WebGL renderer (Chrome has announced the end of the automatic fallback). */
export const SOFTWARE_WEBGL_ARG = '--enable-unsafe-swiftshader';
