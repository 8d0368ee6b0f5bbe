import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where a float32 array waits in a spool file: the file's descriptor, a byte offset, and the number of values. */
export interface SpooledArray {
  fd: number;
  offset: number;
  length: number;
}

function spoolFailure(error: unknown): Error {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new Error(`The import could not use its scratch files in ${tmpdir()} (${reason}); free some space there and try again.`);
}

/** Removes a folder and its files; false where the system refuses while they are open (Windows). */
function removeFolder(folder: string): boolean {
  try {
    rmSync(folder, { recursive: true });
    return true;
  } catch {
    return false;
  }
}

/** Appends float32 arrays to one spool file. Each thread has its own file, so no two threads share an offset. */
export class SpoolWriter {
  private end = 0;

  constructor(private readonly fd: number) {}

  append(values: Float32Array): SpooledArray {
    const offset = this.end;
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    try {
      for (let written = 0; written < bytes.length;)
        written += writeSync(this.fd, bytes, written, bytes.length - written, offset + written);
    } catch (error) {
      throw spoolFailure(error);
    }
    this.end += bytes.length;
    return { fd: this.fd, offset, length: values.length };
  }
}

/** A float32 buffer that is reused from one use to the next, growing when it must. */
export class Float32Scratch {
  private values = new Float32Array(0);

  /** `length` values, valid until the next call. */
  view(length: number): Float32Array {
    if (this.values.length < length) this.values = new Float32Array(Math.max(length, this.values.length * 2));
    return this.values.subarray(0, length);
  }
}

/**
 * Scratch files, one per reading thread, where the subjects' matrices and time series wait between
 * the reading and the project's one transaction, instead of each in fresh memory. Fresh memory is
 * dear on the 2-core VM (27.7 MB of fresh arrays: 125 ms in a new process; the same bytes written
 * to a file and read back into one buffer: 8-15 ms), and the import no longer holds every subject
 * in memory at once (280 MB for 1,000 subjects of 200 ROIs). The files are in a private folder of
 * the system's temporary directory. Where the system lets open files be removed (not Windows), it
 * is removed at once, and the open files vanish with the process even if it is killed; elsewhere
 * `close` removes it. Either way they are gone long before the system would write them out to
 * disk, unless the cohort is very large.
 */
export class SubjectSpool {
  private readonly folder: string;
  /** One file descriptor per thread; descriptors are shared by all threads of the process. */
  readonly fds: number[];
  private closed = false;
  /** Whether the folder was removed while its files were open. */
  private readonly removed: boolean;

  constructor(threads: number) {
    try {
      this.folder = mkdtempSync(join(tmpdir(), 'neurolip-import-'));
      this.fds = Array.from({ length: threads }, (_, thread) => openSync(join(this.folder, `thread-${thread}.f32`), 'w+'));
    } catch (error) {
      throw spoolFailure(error);
    }
    this.removed = removeFolder(this.folder);
  }

  /** A spooled array, read into `into`'s buffer: valid until `into` is used again. */
  read(array: SpooledArray, into: Float32Scratch): Float32Array {
    const values = into.view(array.length);
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    try {
      for (let read = 0; read < bytes.length;) {
        const got = readSync(array.fd, bytes, read, bytes.length - read, array.offset + read);
        if (got === 0) throw new Error('the scratch file ended early');
        read += got;
      }
    } catch (error) {
      throw spoolFailure(error);
    }
    return values;
  }

  /** Closes and removes the files; later calls do nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const fd of this.fds) closeSync(fd);
    if (!this.removed) rmSync(this.folder, { recursive: true, force: true });
  }
}
