import { basename } from 'node:path';

/** Where in a source file a problem is. Lines count from 1, as editors show them. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: string;
}

export function describeLocation({ file, line, column }: SourceLocation): string {
  return [basename(file), line !== undefined ? `line ${line}` : null, column !== undefined ? `column ${column}` : null]
    .filter((part) => part !== null)
    .join(', ');
}

/** A problem with the user's input, worded for them: "phenotype.csv, line 12, column DX_GROUP: ...". */
export class ImportError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: string | undefined;

  constructor(
    location: SourceLocation,
    readonly detail: string,
  ) {
    super(`${describeLocation(location)}: ${detail}`);
    this.name = 'ImportError';
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
  }
}
