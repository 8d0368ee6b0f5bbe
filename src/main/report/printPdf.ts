import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { OFFLINE_CHROMIUM_ARGS } from '../chromiumArgs';

/** Turns a self-contained HTML document into PDF bytes. */
export type PdfPrinter = (html: string) => Promise<Buffer>;

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The chromium to print with: $CHROMIUM_PATH, else the first of the usual system paths that exists. */
export function findChromium(): string | null {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen) return existsSync(chosen) ? chosen : null;
  return CANDIDATES.find((path) => existsSync(path)) ?? null;
}

export class PdfUnavailableError extends Error {}

/**
 * Prints HTML to PDF with a headless chromium (the local server and the CLI; the desktop app uses
 * Electron's own printToPDF instead). Chromium runs with a throwaway profile and its background
 * network features off; the report itself references nothing outside the file.
 */
export const chromiumPdf: PdfPrinter = async (html) => {
  const chromium = findChromium();
  if (!chromium)
    throw new PdfUnavailableError('PDF export needs chromium (none at /usr/bin/chromium; set CHROMIUM_PATH), or export HTML instead.');
  const folder = mkdtempSync(join(tmpdir(), 'neurolip-report-'));
  try {
    const page = join(folder, 'report.html');
    const pdf = join(folder, 'report.pdf');
    writeFileSync(page, html);
    await promisify(execFile)(
      chromium,
      [
        '--headless',
        ...OFFLINE_CHROMIUM_ARGS,
        `--user-data-dir=${join(folder, 'profile')}`,
        '--no-pdf-header-footer',
        `--print-to-pdf=${pdf}`,
        pathToFileURL(page).href,
      ],
      { timeout: 120_000 },
    );
    if (!existsSync(pdf)) throw new PdfUnavailableError(`${chromium} did not write a PDF.`);
    return readFileSync(pdf);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
};
