import gifti from 'gifti-reader-js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BrainSurface } from '../../shared/api';
import { ImportError } from '../cohort/importError';
import { decodeText, readSource } from '../cohort/readers/sourceFile';

/**
 * The default glass brain: the whole-brain cortical surface (5,124 vertices, MNI millimetres) that
 * ships with gifti-reader-js in its tests/data folder.
 */
export function defaultSurfacePath(): string {
  const pkg = createRequire(import.meta.url).resolve('gifti-reader-js/package.json');
  return join(dirname(pkg), 'tests', 'data', 'gzip.surf.gii');
}

/** gifti-reader-js reports XML errors only through console.log; this catches the first one. */
function parseCatchingXmlErrors(xml: string): { parsed: ReturnType<typeof gifti.parse>; xmlError: string | null } {
  const log = console.log;
  let xmlError: string | null = null;
  console.log = (...args: unknown[]) => {
    xmlError ??= args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  };
  try {
    return { parsed: gifti.parse(xml), xmlError };
  } finally {
    console.log = log;
  }
}

/** Reads a GIfTI surface (.surf.gii): its point set [V, 3] and triangles [T, 3], checked for consistency. */
export function readGiftiSurface(path: string = defaultSurfacePath()): BrainSurface {
  const text = decodeText(readSource(path));
  const { parsed, xmlError } = parseCatchingXmlErrors(text);
  if (xmlError) {
    const where = /Line: (\d+)\s+Column: (\d+)/.exec(xmlError);
    const line = where ? Number(where[1]) + 1 : undefined;
    throw new ImportError({ file: path, line }, `not valid GIfTI XML (${xmlError.split('\n')[0]}${where ? `, column ${where[2]}` : ''})`);
  }
  const points = parsed?.getPointsDataArray()?.getData();
  const triangles = parsed?.getTrianglesDataArray()?.getData();
  if (!points) throw new ImportError({ file: path }, 'not a GIfTI surface: it has no NIFTI_INTENT_POINTSET data array');
  if (!triangles) throw new ImportError({ file: path }, 'not a GIfTI surface: it has no NIFTI_INTENT_TRIANGLE data array');
  if (points.length === 0 || points.length % 3 !== 0)
    throw new ImportError({ file: path }, `the point set has ${points.length} values, not V x 3`);
  if (triangles.length === 0 || triangles.length % 3 !== 0)
    throw new ImportError({ file: path }, `the triangle array has ${triangles.length} values, not T x 3`);
  const vertexCount = points.length / 3;
  const bad = points.findIndex((v) => !Number.isFinite(v));
  if (bad !== -1) throw new ImportError({ file: path }, `vertex ${Math.floor(bad / 3)} has a non-finite coordinate`);
  const outside = triangles.findIndex((v) => v < 0 || v >= vertexCount || !Number.isInteger(v));
  if (outside !== -1)
    throw new ImportError(
      { file: path },
      `triangle ${Math.floor(outside / 3)} names vertex ${triangles[outside]}, but there are ${vertexCount} vertices`,
    );
  return { source: path, vertices: Array.from(points), triangles: Array.from(triangles) };
}
