import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { SphereImpostors } from './sphereImpostors';

const sphere = (x: number, radius: number, colour: [number, number, number] = [1, 0, 0]) => ({
  position: [x, 2, 3] as const,
  radius,
  colour,
});

describe('sphere impostors', () => {
  it('writes each sphere into the corners of one outline, drawn in one range', () => {
    const impostors = new SphereImpostors();
    impostors.set([sphere(1, 2), sphere(-4, 6, [0, 0, 1])]);
    const geometry = impostors.mesh.geometry;
    const perSphere = 4;
    const centres = geometry.getAttribute('sphereCentre');
    const radii = geometry.getAttribute('sphereRadius');
    const colours = geometry.getAttribute('color');
    for (let k = 0; k < perSphere; k += 1) {
      expect([centres.getX(k), centres.getY(k), centres.getZ(k), radii.getX(k)]).toEqual([1, 2, 3, 2]);
      expect([centres.getX(perSphere + k), radii.getX(perSphere + k)]).toEqual([-4, 6]);
      // Colours are stored in three's linear working space: pure sRGB primaries stay 0 and 1.
      expect([colours.getX(k), colours.getZ(k), colours.getZ(perSphere + k)]).toEqual([1, 0, 1]);
    }
    // Two spheres of 2 triangles each.
    expect(geometry.drawRange).toEqual({ start: 0, count: 2 * 2 * 3 });
    // The triangles of each sphere index only its own corners.
    const index = geometry.getIndex()!;
    for (let i = 0; i < 12; i += 1) expect(Math.floor(index.getX(i) / perSphere)).toBe(Math.floor(i / 6));
  });

  it('covers the whole unit circle with each outline', () => {
    const impostors = new SphereImpostors();
    impostors.set([sphere(0, 1)]);
    const corners = impostors.mesh.geometry.getAttribute('position');
    const outline = Array.from({ length: 4 }, (_, k) => new THREE.Vector2(corners.getX(k), corners.getY(k)));
    // Every edge of the convex outline lies at distance >= 1 from the centre.
    outline.forEach((a, k) => {
      const b = outline[(k + 1) % 4]!;
      const edge = b.clone().sub(a);
      const distance = Math.abs(a.x * edge.y - a.y * edge.x) / edge.length();
      expect(distance).toBeGreaterThanOrEqual(1 - 1e-6);
      expect(distance).toBeCloseTo(1, 12);
    });
  });

  it('rewrites its buffers in place, replacing them only to grow', () => {
    const impostors = new SphereImpostors();
    impostors.set(Array.from({ length: 10 }, (_, i) => sphere(i, 2)));
    const geometry = impostors.mesh.geometry;
    const centres = geometry.getAttribute('sphereCentre');
    impostors.set([sphere(7, 3)]);
    expect(impostors.mesh.geometry).toBe(geometry);
    expect(geometry.getAttribute('sphereCentre')).toBe(centres);
    expect(geometry.drawRange.count).toBe(6);
    expect(centres.getX(0)).toBe(7);
    impostors.set(Array.from({ length: 200 }, (_, i) => sphere(i, 2)));
    expect(impostors.mesh.geometry).not.toBe(geometry);
    expect(impostors.mesh.geometry.getAttribute('sphereCentre').getX(199 * 4)).toBe(199);
    expect(impostors.mesh.geometry.drawRange.count).toBe(200 * 6);
  });

  it("patches three's own Lambert shader into the impostor shader", () => {
    const { mesh } = new SphereImpostors();
    const shader = {
      vertexShader: THREE.ShaderLib.lambert.vertexShader,
      fragmentShader: THREE.ShaderLib.lambert.fragmentShader,
      uniforms: {},
    } as unknown as THREE.WebGLProgramParametersWithUniforms;
    mesh.material.onBeforeCompile(shader, {} as THREE.WebGLRenderer);
    expect(shader.vertexShader).toContain('attribute vec3 sphereCentre;');
    expect(shader.vertexShader).not.toContain('#include <project_vertex>');
    expect(shader.fragmentShader).toContain('gl_FragDepth =');
    expect(shader.fragmentShader).not.toContain('#include <normal_fragment_begin>');
  });
});
