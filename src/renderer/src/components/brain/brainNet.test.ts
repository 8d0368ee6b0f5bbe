import { describe, expect, it } from 'vitest';
import { writeEdgeFile, writeNodeFile } from './brainNet';

describe('BrainNet Viewer files', () => {
  it('writes "x y z colour size label" nodes and a symmetric edge matrix', () => {
    const nodes = [
      { label: 'Precentral_L', x: -38.65, y: -5.68, z: 50.94, value: 0.25 },
      { label: 'Frontal Pole', x: 1, y: 2, z: 3, value: -0.5 },
      { label: ' ', x: 0, y: 0, z: 0, value: Number.NaN },
    ];
    expect(writeNodeFile(nodes)).toBe(
      '-38.65\t-5.68\t50.94\t0.25\t0.25\tPrecentral_L\n1\t2\t3\t-0.5\t0.5\tFrontal_Pole\n0\t0\t0\t0\t0\t-\n',
    );
    expect(writeEdgeFile(3, [{ from: 0, to: 2, value: 0.125 }])).toBe('0\t0\t0.125\n0\t0\t0\n0.125\t0\t0\n');
    expect(() => writeEdgeFile(2, [{ from: 0, to: 2, value: 1 }])).toThrow('edge 0-2 names a node beyond the 2 nodes');
  });
});
