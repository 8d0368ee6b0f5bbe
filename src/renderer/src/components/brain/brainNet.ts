import type { Edge } from './topEdges';

export interface BrainNetNode {
  label: string;
  x: number;
  y: number;
  z: number;
  value: number;
}

/** BrainNet Viewer labels are one word: spaces and tabs become underscores; an empty label is "-". */
function oneWord(label: string): string {
  const word = label.trim().replace(/\s+/g, '_');
  return word === '' ? '-' : word;
}

const number = (v: number): string => (Number.isFinite(v) ? String(Number(v.toPrecision(7))) : '0');

/**
 * A BrainNet Viewer .node file: one line per node, "x y z colour size label" separated by tabs. The
 * colour column is the map value and the size column its absolute value, so BrainNet's "colour by
 * value" and "size by value" redraw the figure.
 */
export function writeNodeFile(nodes: BrainNetNode[]): string {
  return nodes.map((n) => [n.x, n.y, n.z, n.value, Math.abs(n.value)].map(number).concat(oneWord(n.label)).join('\t')).join('\n') + '\n';
}

/** A BrainNet Viewer .edge file: the N x N symmetric matrix of the drawn edges (0 where none), node order as in the .node file. */
export function writeEdgeFile(nodeCount: number, edges: Edge[]): string {
  const matrix = Array.from({ length: nodeCount }, () => new Array<number>(nodeCount).fill(0));
  for (const edge of edges) {
    if (edge.from >= nodeCount || edge.to >= nodeCount)
      throw new Error(`edge ${edge.from}-${edge.to} names a node beyond the ${nodeCount} nodes`);
    matrix[edge.from]![edge.to] = edge.value;
    matrix[edge.to]![edge.from] = edge.value;
  }
  return matrix.map((row) => row.map(number).join('\t')).join('\n') + '\n';
}
