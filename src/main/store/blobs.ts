/** Typed arrays to and from SQLite BLOBs, without copying on the way in. */
export function toBlob(array: Float32Array | Uint8Array | Int32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

export function float32FromBlob(blob: Buffer): Float32Array {
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return new Float32Array(copy.buffer);
}

export function uint8FromBlob(blob: Buffer): Uint8Array {
  return new Uint8Array(blob);
}
