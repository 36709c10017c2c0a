import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** What a PDF viewer (pdf.js) makes of a PDF: see pdf-page.mjs. */
export interface PdfReading {
  pages: number;
  /** Each page's extracted text, in reading order. */
  text: string[];
  /** The fonts page 1 draws with. */
  fonts: Array<{ name: string; embedded: boolean }>;
  /** Page 1 drawn to pixels: its size and the share of pixels that are not near-white. */
  png: { width: number; height: number; inkedShare: number };
}

const SCRIPT = join(__dirname, 'pdf-page.mjs');

/** Reads `pdf` with pdf.js in a child Node process; writes page 1 as PNG to `pngPath` when given. */
export async function readPdf(pdf: Buffer, pngPath?: string): Promise<PdfReading> {
  const dir = await mkdtemp(join(tmpdir(), 'pdf-read-'));
  try {
    const file = join(dir, 'document.pdf');
    await writeFile(file, pdf);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [SCRIPT, file, ...(pngPath === undefined ? [] : [pngPath])],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    return JSON.parse(stdout) as PdfReading;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
