/** One region of an atlas. `code` is the integer that names it in label images and PCP column headers. */
export interface AtlasRoi {
  code: number | null;
  label: string;
  x: number | null;
  y: number | null;
  z: number | null;
}

export interface Atlas {
  name: string;
  space: string;
  /** Where the atlas came from: the files, their hashes, and how it was derived. */
  provenance: Record<string, unknown>;
  rois: AtlasRoi[];
}

/** A data column matched to an atlas ROI, or to nothing. */
export interface RoiMatch {
  column: string;
  roi: AtlasRoi | null;
}

/**
 * Matches the data's ROI columns to atlas ROIs. A column "#N", "Mean_N" or "N" matches the ROI whose
 * code is N (AAL 2001, PCP Harvard-Oxford 1001), or else the N-th ROI (CC200's "#1" is row 1 of its
 * label table). Any other column matches a ROI by label.
 */
export function matchColumns(columns: string[], atlas: Atlas): RoiMatch[] {
  const byCode = new Map(atlas.rois.filter((roi) => roi.code !== null).map((roi) => [roi.code!, roi]));
  const byLabel = new Map(atlas.rois.map((roi) => [roi.label.toLowerCase(), roi]));
  return columns.map((column) => {
    const number = /^(?:#|Mean_)?(\d+)$/.exec(column.trim());
    if (number) {
      const n = Number(number[1]);
      return { column, roi: byCode.get(n) ?? (byCode.size === 0 ? (atlas.rois[n - 1] ?? null) : null) };
    }
    return { column, roi: byLabel.get(column.trim().toLowerCase()) ?? null };
  });
}
