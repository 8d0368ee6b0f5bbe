import * as THREE from 'three';
import { BrainScene, createGlassMaterial, type SceneEdge, type SceneNode } from '../components/brain/BrainScene';
import { nodeStyle } from '../components/brain/nodeStyle';
import { seededRandom } from '../../../shared/stats/seededRandom';
import type { RenderMeasurement } from '../../../shared/renderBench';

/**
 * The page `neurolip bench render` drives in headless chromium: the brain view's scene with N ROIs
 * and E edges, and a bare three.js scene with the same surface mesh, each redrawn every animation
 * frame while the camera turns, on the same canvas size.
 */

export interface BenchSurface {
  vertices: number[];
  triangles: number[];
}

/** N ROIs at random surface vertices pulled 15 % towards the centre, coloured and sized by a random value; E random edges among them. */
function syntheticNetwork(surface: BenchSurface, rois: number, edges: number): { nodes: SceneNode[]; lines: SceneEdge[] } {
  const random = seededRandom(42);
  const count = surface.vertices.length / 3;
  const nodes: SceneNode[] = Array.from({ length: rois }, (_, roi) => {
    const v = Math.floor(random() * count);
    const position = [0, 1, 2].map((axis) => surface.vertices[v * 3 + axis]! * 0.85) as [number, number, number];
    return { roi, position, ...nodeStyle(random(), { min: 0, max: 1, signed: false }, 'viridis') };
  });
  const lines: SceneEdge[] = Array.from({ length: edges }, () => {
    const [a, b] = [nodes[Math.floor(random() * rois)]!, nodes[Math.floor(random() * rois)]!];
    return { from: a.position, to: b.position, colour: random() > 0.5 ? [0.85, 0.15, 0.15] : [0.15, 0.35, 0.9] };
  });
  return { nodes, lines };
}

function rendererName(gl: WebGLRenderingContext | WebGL2RenderingContext): string {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : String(gl.getParameter(gl.RENDERER));
}

/** Redraws every animation frame for `seconds`, turning the camera a little each frame. */
async function timeFrames(renderer: THREE.WebGLRenderer, draw: () => void, seconds: number): Promise<RenderMeasurement> {
  draw();
  const geometriesBefore = renderer.info.memory.geometries;
  const drawCalls = renderer.info.render.calls;
  let frames = 0;
  const started = performance.now();
  await new Promise<void>((done) => {
    const frame = (): void => {
      draw();
      frames += 1;
      if (performance.now() - started < seconds * 1000) requestAnimationFrame(frame);
      else done();
    };
    requestAnimationFrame(frame);
  });
  renderer.getContext().finish();
  const elapsed = (performance.now() - started) / 1000;
  return {
    fps: frames / elapsed,
    frames,
    seconds: elapsed,
    drawCalls,
    geometries: [geometriesBefore, renderer.info.memory.geometries],
    renderer: rendererName(renderer.getContext()),
  };
}

function freshCanvas(): HTMLCanvasElement {
  const old = document.getElementById('bench')!;
  const canvas = old.cloneNode() as HTMLCanvasElement;
  old.replaceWith(canvas);
  return canvas;
}

/** The brain view's own scene: surface, ROI sphere impostors, edge segments. */
async function brainView(surface: BenchSurface, rois: number, edges: number, seconds: number): Promise<RenderMeasurement> {
  const canvas = freshCanvas();
  const scene = new BrainScene(canvas);
  scene.renderer.setPixelRatio(1);
  scene.resize(canvas.width, canvas.height);
  scene.setSurface(surface.vertices, surface.triangles);
  const { nodes, lines } = syntheticNetwork(surface, rois, edges);
  scene.setNodes(nodes);
  scene.setEdges(lines);
  try {
    return await timeFrames(
      scene.renderer,
      () => {
        scene.turn(0.01);
        scene.render();
      },
      seconds,
    );
  } finally {
    scene.dispose();
  }
}

/** The baseline: the same surface mesh and lights, nothing else, in plain three.js. */
async function bareScene(surface: BenchSurface, seconds: number): Promise<RenderMeasurement> {
  const canvas = freshCanvas();
  const renderer = new THREE.WebGLRenderer({ canvas, antialias: true, alpha: true });
  renderer.setPixelRatio(1);
  renderer.setSize(canvas.width, canvas.height, false);
  const scene = new THREE.Scene();
  const camera = new THREE.PerspectiveCamera(35, canvas.width / canvas.height, 1, 2000);
  camera.up.set(0, 0, 1);
  scene.add(camera, new THREE.AmbientLight(0xffffff, 1.2));
  const light = new THREE.DirectionalLight(0xffffff, 2.2);
  light.position.set(0.3, 0.5, 1);
  camera.add(light);
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(Float32Array.from(surface.vertices), 3));
  geometry.setIndex(new THREE.BufferAttribute(Uint32Array.from(surface.triangles), 1));
  geometry.computeVertexNormals();
  geometry.computeBoundingBox();
  const material = createGlassMaterial();
  scene.add(new THREE.Mesh(geometry, material));
  const target = geometry.boundingBox!.getCenter(new THREE.Vector3());
  camera.position.set(target.x - 260, target.y, target.z);
  camera.lookAt(target);
  const axis = new THREE.Vector3(0, 0, 1);
  try {
    return await timeFrames(
      renderer,
      () => {
        camera.position.sub(target).applyAxisAngle(axis, 0.01).add(target);
        camera.lookAt(target);
        renderer.render(scene, camera);
      },
      seconds,
    );
  } finally {
    geometry.dispose();
    material.dispose();
    renderer.dispose();
  }
}

declare global {
  interface Window {
    renderBench: {
      brainView: typeof brainView;
      bareScene: typeof bareScene;
    };
  }
}

window.renderBench = { brainView, bareScene };
