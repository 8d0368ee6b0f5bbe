import { readFile } from 'node:fs/promises';
import wabt from 'wabt';

/**
 * Lets our code import a WebAssembly text file (`import bytes from './kernel.wat'`): at build time
 * (and in the unit tests) wabt assembles it, with SIMD, into the module's bytes, inlined in the
 * bundle. Nothing generated is committed.
 *
 * @returns {import('vite').Plugin}
 */
export function watPlugin() {
  return {
    name: 'neurolip-wat',
    async load(id) {
      if (!id.endsWith('.wat')) return null;
      const { parseWat } = await wabt();
      const module = parseWat(id, await readFile(id, 'utf8'), { simd: true });
      try {
        module.validate();
        const { buffer } = module.toBinary({});
        return `export default Uint8Array.from(${JSON.stringify(Array.from(buffer))});`;
      } finally {
        module.destroy();
      }
    },
  };
}
