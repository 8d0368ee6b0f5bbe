import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/tempDir';
import { defaultSurfacePath, readGiftiSurface } from './giftiSurface';

function surfaceXml(points: string, triangles: string, pointRows: number, triangleRows: number): string {
  const array = (intent: string, type: string, rows: number, data: string) => `
  <DataArray Intent="${intent}" DataType="${type}" ArrayIndexingOrder="RowMajorOrder" Dimensionality="2"
             Dim0="${rows}" Dim1="3" Encoding="ASCII" Endian="LittleEndian" ExternalFileName="" ExternalFileOffset="">
    <Data>${data}</Data>
  </DataArray>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<GIFTI Version="1.0" NumberOfDataArrays="2">${array('NIFTI_INTENT_POINTSET', 'NIFTI_TYPE_FLOAT32', pointRows, points)}${array('NIFTI_INTENT_TRIANGLE', 'NIFTI_TYPE_INT32', triangleRows, triangles)}
</GIFTI>`;
}

describe('reading a GIfTI surface', () => {
  const tempDir = useTempDir();
  const file = (name: string, text: string): string => {
    const path = join(tempDir(), name);
    writeFileSync(path, text);
    return path;
  };

  it('reads the glass brain that ships with gifti-reader-js: 5,124 vertices in MNI millimetres', () => {
    expect(defaultSurfacePath()).toMatch(/gifti-reader-js[/\\]tests[/\\]data[/\\]gzip\.surf\.gii$/);
    const surface = readGiftiSurface();
    expect(surface.vertices.length).toBe(5124 * 3);
    expect(surface.triangles.length).toBe(10240 * 3);
    const xs = surface.vertices.filter((_, i) => i % 3 === 0);
    expect(Math.min(...xs)).toBeLessThan(-60);
    expect(Math.max(...xs)).toBeGreaterThan(60);
  });

  it('reads a small ASCII surface', () => {
    const path = file('tri.surf.gii', surfaceXml('0 0 0 1 0 0 0 1 0', '0 1 2', 3, 1));
    expect(readGiftiSurface(path)).toEqual({ source: path, vertices: [0, 0, 0, 1, 0, 0, 0, 1, 0], triangles: [0, 1, 2] });
  });

  it('refuses malformed XML, naming the file and line', () => {
    const path = file('broken.surf.gii', '<?xml version="1.0"?>\n<GIFTI>\n<DataArray Intent="NIFTI_INTENT_POINTSET"\n');
    expect(() => readGiftiSurface(path)).toThrow(/^broken\.surf\.gii, line \d+: not valid GIfTI XML \(.+\)$/);
  });

  it('refuses a GIfTI without triangles, and triangles naming missing vertices', () => {
    const noTriangles = file(
      'points.gii',
      surfaceXml('0 0 0 1 0 0 0 1 0', '0 1 2', 3, 1).replace(/NIFTI_INTENT_TRIANGLE/, 'NIFTI_INTENT_NONE'),
    );
    expect(() => readGiftiSurface(noTriangles)).toThrow('points.gii: not a GIfTI surface: it has no NIFTI_INTENT_TRIANGLE data array');
    const outside = file('outside.surf.gii', surfaceXml('0 0 0 1 0 0 0 1 0', '0 1 5', 3, 1));
    expect(() => readGiftiSurface(outside)).toThrow('outside.surf.gii: triangle 0 names vertex 5, but there are 3 vertices');
  });
});
