import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { nearestSphereHit } from './raySphere';
import { SphereImpostors } from './sphereImpostors';

export type Hemisphere = 'left' | 'right' | 'both';
export type StandardView = 'left' | 'right' | 'top' | 'front';
type Rgb = [number, number, number];

/** A ROI drawn as a sphere: MNI millimetres, colour (RGB 0-1) and radius (mm). */
export interface SceneNode {
  roi: number;
  position: [number, number, number];
  colour: Rgb;
  radius: number;
}

/** A line between two MNI points. */
export interface SceneEdge {
  from: [number, number, number];
  to: [number, number, number];
  colour: Rgb;
}

const CAMERA_DISTANCE = 260;

/** The translucent material of the glass brain (also used by the render benchmark's bare scene). */
export function createGlassMaterial(): THREE.MeshPhongMaterial {
  return new THREE.MeshPhongMaterial({
    color: 0x8a94a6,
    transparent: true,
    opacity: 0.16,
    depthWrite: false,
    side: THREE.DoubleSide,
    shininess: 20,
  });
}
/**
 * The glass brain, drawn with plain three.js: one translucent surface mesh, the ROIs as sphere
 * impostors (one camera-facing square each, all in one draw call; see SphereImpostors), and the edges
 * as one LineSegments geometry. Inputs rewrite the vertex buffers in place (growing them only when
 * more room is needed); nothing is rebuilt per frame. ROIs are picked by intersecting the pointer's
 * ray with each drawn sphere. Frames are drawn on demand (input or camera change), once per animation frame.
 * MNI axes: x to the right, y anterior, z superior (the camera's up).
 */
export class BrainScene {
  readonly renderer: THREE.WebGLRenderer;
  private readonly scene = new THREE.Scene();
  private readonly camera = new THREE.PerspectiveCamera(35, 1, 1, 2000);
  private readonly controls: OrbitControls;
  private readonly target = new THREE.Vector3(0, -18, 12);
  private readonly glass = createGlassMaterial();
  private surface: THREE.Mesh | null = null;
  private readonly nodes = new SphereImpostors();
  private shownNodes: SceneNode[] = [];
  private readonly edgeGeometry = new THREE.BufferGeometry();
  private readonly edges: THREE.LineSegments;
  private edgeCapacity = 0;
  private readonly marker: THREE.Mesh;
  private readonly raycaster = new THREE.Raycaster();
  private pending = 0;

  constructor(canvas: HTMLCanvasElement) {
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: true, alpha: true });
    this.renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
    this.renderer.localClippingEnabled = true;
    this.renderer.setClearColor(0x000000, 0);
    this.camera.up.set(0, 0, 1);
    this.scene.add(this.camera);
    this.scene.add(new THREE.AmbientLight(0xffffff, 1.2));
    const headlight = new THREE.DirectionalLight(0xffffff, 2.2);
    headlight.position.set(0.3, 0.5, 1);
    this.camera.add(headlight);
    this.scene.add(this.nodes.mesh);
    this.edgeGeometry.setAttribute('position', new THREE.BufferAttribute(new Float32Array(0), 3));
    this.edgeGeometry.setAttribute('color', new THREE.BufferAttribute(new Float32Array(0), 3));
    this.edges = new THREE.LineSegments(
      this.edgeGeometry,
      new THREE.LineBasicMaterial({ vertexColors: true, transparent: true, opacity: 0.85 }),
    );
    this.edges.frustumCulled = false;
    this.scene.add(this.edges);
    this.marker = new THREE.Mesh(
      new THREE.SphereGeometry(1, 24, 16),
      new THREE.MeshBasicMaterial({ color: 0x00e5ff, wireframe: true, transparent: true, opacity: 0.9 }),
    );
    this.marker.visible = false;
    this.scene.add(this.marker);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = false;
    this.controls.addEventListener('change', () => this.requestRender());
    this.setView('left');
  }

  /** The glass surface: vertices [V, 3] in MNI mm and triangles [T, 3], flattened. */
  setSurface(vertices: ArrayLike<number>, triangles: ArrayLike<number>): void {
    if (this.surface) {
      this.scene.remove(this.surface);
      this.surface.geometry.dispose();
    }
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.BufferAttribute(Float32Array.from(vertices), 3));
    geometry.setIndex(new THREE.BufferAttribute(Uint32Array.from(triangles), 1));
    geometry.computeVertexNormals();
    geometry.computeBoundingBox();
    this.surface = new THREE.Mesh(geometry, this.glass);
    this.surface.renderOrder = 1;
    this.scene.add(this.surface);
    geometry.boundingBox!.getCenter(this.target);
    this.controls.target.copy(this.target);
    this.requestRender();
  }

  /** The ROIs to draw (already filtered by threshold and hemisphere). */
  setNodes(nodes: SceneNode[]): void {
    this.nodes.set(nodes);
    this.shownNodes = nodes;
    this.requestRender();
  }

  /** The edges to draw, written into one vertex buffer. */
  setEdges(edges: SceneEdge[]): void {
    if (edges.length > this.edgeCapacity) {
      this.edgeCapacity = Math.max(edges.length, 2 * this.edgeCapacity, 64);
      this.edgeGeometry.setAttribute('position', new THREE.BufferAttribute(new Float32Array(this.edgeCapacity * 6), 3));
      this.edgeGeometry.setAttribute('color', new THREE.BufferAttribute(new Float32Array(this.edgeCapacity * 6), 3));
    }
    const positions = this.edgeGeometry.getAttribute('position') as THREE.BufferAttribute;
    const colours = this.edgeGeometry.getAttribute('color') as THREE.BufferAttribute;
    const colour = new THREE.Color();
    edges.forEach((edge, i) => {
      (positions.array as Float32Array).set([...edge.from, ...edge.to], i * 6);
      colour.setRGB(...edge.colour, THREE.SRGBColorSpace);
      (colours.array as Float32Array).set([colour.r, colour.g, colour.b, colour.r, colour.g, colour.b], i * 6);
    });
    positions.needsUpdate = true;
    colours.needsUpdate = true;
    this.edgeGeometry.setDrawRange(0, edges.length * 2);
    this.requestRender();
  }

  /** Cuts the glass surface to one hemisphere (x < 0 is left), or shows both. */
  setHemisphere(hemisphere: Hemisphere): void {
    this.glass.clippingPlanes = hemisphere === 'both' ? [] : [new THREE.Plane(new THREE.Vector3(hemisphere === 'left' ? -1 : 1, 0, 0), 0)];
    this.glass.needsUpdate = true;
    this.requestRender();
  }

  /** Puts the camera at a standard view of the brain's centre: from the left, right, top or front. */
  setView(view: StandardView): void {
    const direction = {
      left: new THREE.Vector3(-1, 0, 0),
      right: new THREE.Vector3(1, 0, 0),
      // A hair posterior, so that "up" on screen is anterior.
      top: new THREE.Vector3(0, -0.001, 1),
      front: new THREE.Vector3(0, 1, 0),
    }[view];
    this.camera.position.copy(this.target).addScaledVector(direction.normalize(), CAMERA_DISTANCE);
    this.camera.zoom = 1;
    this.camera.updateProjectionMatrix();
    this.controls.target.copy(this.target);
    this.controls.update();
    this.requestRender();
  }

  reset(): void {
    this.setView('left');
  }

  zoom(factor: number): void {
    this.camera.zoom = Math.min(8, Math.max(0.25, this.camera.zoom * factor));
    this.camera.updateProjectionMatrix();
    this.requestRender();
  }

  /** Turns the camera about the vertical axis through the brain's centre (used by the render benchmark). */
  turn(radians: number): void {
    this.camera.position
      .sub(this.target)
      .applyAxisAngle(new THREE.Vector3(0, 0, 1), radians)
      .add(this.target);
    this.camera.lookAt(this.target);
  }

  /** Marks one ROI (drawn or not: its centroid and radius) with a wireframe shell, or clears the mark. */
  setHighlight(mark: { position: [number, number, number]; radius: number } | null): void {
    this.marker.visible = mark !== null;
    if (mark) {
      this.marker.position.set(...mark.position);
      this.marker.scale.setScalar(mark.radius + 2.5);
    }
    this.requestRender();
  }

  /** The ROI under a point of the canvas (client pixels), or null. */
  pick(clientX: number, clientY: number): number | null {
    const rect = this.renderer.domElement.getBoundingClientRect();
    const pointer = new THREE.Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
    this.raycaster.setFromCamera(pointer, this.camera);
    const { origin, direction } = this.raycaster.ray;
    const hit = nearestSphereHit([origin.x, origin.y, origin.z], [direction.x, direction.y, direction.z], this.shownNodes);
    return hit === null ? null : this.shownNodes[hit]!.roi;
  }

  /** Sets the drawing size in CSS pixels. */
  resize(width: number, height: number): void {
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / Math.max(1, height);
    this.camera.updateProjectionMatrix();
    this.requestRender();
  }

  requestRender(): void {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      this.render();
    });
  }

  render(): void {
    this.renderer.render(this.scene, this.camera);
  }

  /** A PNG of the current view at width x height pixels, on white or on a transparent background. */
  snapshot(width: number, height: number, background: 'white' | 'transparent'): Blob {
    const canvas = this.renderer.domElement;
    const [oldWidth, oldHeight, ratio] = [canvas.clientWidth, canvas.clientHeight, this.renderer.getPixelRatio()];
    this.renderer.setPixelRatio(1);
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.renderer.setClearColor(0xffffff, background === 'white' ? 1 : 0);
    this.render();
    const url = canvas.toDataURL('image/png');
    this.renderer.setClearColor(0x000000, 0);
    this.renderer.setPixelRatio(ratio);
    this.resize(oldWidth, oldHeight);
    const bytes = Uint8Array.from(atob(url.slice(url.indexOf(',') + 1)), (c) => c.charCodeAt(0));
    return new Blob([bytes], { type: 'image/png' });
  }

  dispose(): void {
    cancelAnimationFrame(this.pending);
    this.controls.dispose();
    this.surface?.geometry.dispose();
    this.glass.dispose();
    this.nodes.dispose();
    this.edgeGeometry.dispose();
    this.renderer.dispose();
  }
}
