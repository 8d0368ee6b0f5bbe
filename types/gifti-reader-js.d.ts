/** The part of gifti-reader-js (plain JavaScript, no types of its own) that the app uses. */
declare module 'gifti-reader-js' {
  interface DataArray {
    getData(): Float32Array | Int32Array | Uint8Array | null;
    getNumElements(dimIndex?: number): number;
  }
  interface GIFTI {
    getPointsDataArray(): DataArray | null;
    getTrianglesDataArray(): DataArray | null;
    getNumPoints(): number;
    getNumTriangles(): number;
  }
  const gifti: {
    /** Parses GIfTI XML. XML errors are not thrown: the library logs them with console.log and returns what it read. */
    parse(xml: string): GIFTI | null;
  };
  export default gifti;
}
