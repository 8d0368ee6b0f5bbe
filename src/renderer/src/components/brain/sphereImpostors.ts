import * as THREE from 'three';

/** A sphere to draw: centre, radius (same units as the scene) and colour (RGB 0-1, sRGB). */
export interface ImpostorSphere {
  position: readonly [number, number, number];
  radius: number;
  colour: readonly [number, number, number];
}

/**
 * Each sphere is drawn as a square around its outline (two triangles). An octagon would shade 5 %
 * more pixels than the circle instead of 27 %, but its six triangles cost more on SwiftShader than
 * the pixels saved: 200 spheres alone drew in 16-18 ms as octagons, 13-16 ms as squares (docs/performance.md).
 */
const OUTLINE_CORNERS = [-1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 1, 0];
const OUTLINE_TRIANGLES = [0, 1, 2, 0, 2, 3];
const CORNER_COUNT = OUTLINE_CORNERS.length / 3;

const VERTEX_DECLARATIONS = /* glsl */ `
attribute vec3 sphereCentre;
attribute float sphereRadius;
varying vec3 vSphereCentre;
varying float vSphereRadius;
`;

/**
 * The square lies in the plane through the sphere's centre facing the eye, just large enough to
 * cover the sphere's outline in perspective (the cone from the eye that touches the sphere cuts
 * that plane in a circle of radius r d / sqrt(d^2 - r^2)). `position` holds the unit corner.
 */
const VERTEX_PROJECTION = /* glsl */ `
vSphereCentre = ( modelViewMatrix * vec4( sphereCentre, 1.0 ) ).xyz;
vSphereRadius = sphereRadius;
float eyeDistance = length( vSphereCentre );
vec3 towardEye = - vSphereCentre / eyeDistance;
vec3 side = normalize( cross( abs( towardEye.y ) < 0.99 ? vec3( 0.0, 1.0, 0.0 ) : vec3( 1.0, 0.0, 0.0 ), towardEye ) );
vec3 up = cross( towardEye, side );
float halfSize = sphereRadius * eyeDistance / sqrt( max( eyeDistance * eyeDistance - sphereRadius * sphereRadius, 1e-6 ) );
vec4 mvPosition = vec4( vSphereCentre + halfSize * ( transformed.x * side + transformed.y * up ), 1.0 );
gl_Position = projectionMatrix * mvPosition;
`;

const FRAGMENT_DECLARATIONS = /* glsl */ `
uniform mat4 projectionMatrix;
varying vec3 vSphereCentre;
varying float vSphereRadius;
`;

/**
 * The ray from the eye through this fragment meets the sphere (or the fragment is discarded); the
 * normal and the depth written are those of the sphere's near surface, so spheres intersect the
 * glass and each other as real spheres would. The depth is three's default: window depth from 0 to 1,
 * not logarithmic or reversed.
 */
const FRAGMENT_SURFACE = /* glsl */ `
vec3 rayDirection = normalize( - vViewPosition );
float along = dot( vSphereCentre, rayDirection );
float inside = vSphereRadius * vSphereRadius - ( dot( vSphereCentre, vSphereCentre ) - along * along );
if ( inside < 0.0 ) discard;
vec3 surfacePoint = ( along - sqrt( inside ) ) * rayDirection;
vec3 normal = ( surfacePoint - vSphereCentre ) / vSphereRadius;
vec3 nonPerturbedNormal = normal;
float faceDirection = 1.0;
vec4 surfaceClip = projectionMatrix * vec4( surfacePoint, 1.0 );
gl_FragDepth = 0.5 + 0.5 * surfaceClip.z / surfaceClip.w;
`;

/** Replaces shader chunks of three's, failing loudly if a three upgrade renamed one. */
function patch(source: string, replacements: Record<string, string>): string {
  return Object.entries(replacements).reduce((patched, [chunk, code]) => {
    if (!patched.includes(chunk)) throw new Error(`three's Lambert shader has no ${chunk} to draw sphere impostors with`);
    return patched.replace(chunk, code);
  }, source);
}

/** three's Lambert material (same lights and colour handling as a mesh), drawing each square as a shaded sphere. */
function impostorMaterial(): THREE.MeshLambertMaterial {
  const material = new THREE.MeshLambertMaterial({ color: 0xffffff, vertexColors: true });
  material.onBeforeCompile = (shader) => {
    shader.vertexShader = patch(shader.vertexShader, {
      '#include <common>': `#include <common>\n${VERTEX_DECLARATIONS}`,
      '#include <beginnormal_vertex>': 'vec3 objectNormal = vec3( 0.0, 0.0, 1.0 );',
      '#include <project_vertex>': VERTEX_PROJECTION,
    });
    shader.fragmentShader = patch(shader.fragmentShader, {
      '#include <common>': `#include <common>\n${FRAGMENT_DECLARATIONS}`,
      '#include <normal_fragment_begin>': FRAGMENT_SURFACE,
    });
  };
  material.customProgramCacheKey = () => 'sphere-impostor';
  return material;
}

function buffersFor(capacity: number): THREE.BufferGeometry {
  const geometry = new THREE.BufferGeometry();
  const corners = new Float32Array(capacity * OUTLINE_CORNERS.length);
  const index = new Uint32Array(capacity * OUTLINE_TRIANGLES.length);
  for (let s = 0; s < capacity; s += 1) {
    corners.set(OUTLINE_CORNERS, s * OUTLINE_CORNERS.length);
    index.set(
      OUTLINE_TRIANGLES.map((k) => s * CORNER_COUNT + k),
      s * OUTLINE_TRIANGLES.length,
    );
  }
  geometry.setAttribute('position', new THREE.BufferAttribute(corners, 3));
  geometry.setIndex(new THREE.BufferAttribute(index, 1));
  const dynamic = (size: number): THREE.BufferAttribute =>
    new THREE.BufferAttribute(new Float32Array(capacity * CORNER_COUNT * size), size).setUsage(THREE.DynamicDrawUsage);
  geometry.setAttribute('sphereCentre', dynamic(3));
  geometry.setAttribute('sphereRadius', dynamic(1));
  geometry.setAttribute('color', dynamic(3));
  geometry.setDrawRange(0, 0);
  return geometry;
}

/**
 * Spheres drawn as impostors: one camera-facing square per sphere, all in one vertex buffer and
 * one draw call, shaded and depth-tested per pixel as spheres. On software WebGL (SwiftShader) this
 * costs far less than instanced sphere meshes, which it draws one instance at a time. The buffers
 * are rewritten in place by `set` (and replaced only to grow); nothing is rebuilt per frame.
 * Perspective cameras only, and the mesh is not to be scaled (radii are taken as they are).
 */
export class SphereImpostors {
  readonly mesh: THREE.Mesh<THREE.BufferGeometry, THREE.MeshLambertMaterial>;
  private capacity = 0;

  constructor() {
    this.mesh = new THREE.Mesh(buffersFor(0), impostorMaterial());
    // The squares are placed in the vertex shader: the geometry's bounds say nothing about them.
    this.mesh.frustumCulled = false;
  }

  set(spheres: readonly ImpostorSphere[]): void {
    if (spheres.length > this.capacity) {
      this.capacity = Math.max(spheres.length, 2 * this.capacity, 64);
      this.mesh.geometry.dispose();
      this.mesh.geometry = buffersFor(this.capacity);
    }
    const geometry = this.mesh.geometry;
    const centres = geometry.getAttribute('sphereCentre') as THREE.BufferAttribute;
    const radii = geometry.getAttribute('sphereRadius') as THREE.BufferAttribute;
    const colours = geometry.getAttribute('color') as THREE.BufferAttribute;
    const colour = new THREE.Color();
    spheres.forEach((sphere, s) => {
      colour.setRGB(...sphere.colour, THREE.SRGBColorSpace);
      for (let k = s * CORNER_COUNT; k < (s + 1) * CORNER_COUNT; k += 1) {
        centres.setXYZ(k, ...sphere.position);
        radii.setX(k, sphere.radius);
        colours.setXYZ(k, colour.r, colour.g, colour.b);
      }
    });
    for (const attribute of [centres, radii, colours]) {
      if (spheres.length === 0) break;
      attribute.clearUpdateRanges();
      attribute.addUpdateRange(0, spheres.length * CORNER_COUNT * attribute.itemSize);
      attribute.needsUpdate = true;
    }
    geometry.setDrawRange(0, spheres.length * OUTLINE_TRIANGLES.length);
  }

  dispose(): void {
    this.mesh.geometry.dispose();
    this.mesh.material.dispose();
  }
}
