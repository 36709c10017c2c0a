/**
 * Draws page 1 of the sample agreement and statement (test/api/investor/document-fixtures.ts, the
 * same ones the document tests check) as PNG into docs/screenshots/, as pdf.js shows the PDFs.
 * Run after a change to how the documents look, and commit the pictures: `npm run docs:screenshots`.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { agreementDocument } from '../../src/api/investor/documents/agreement';
import { renderPdf } from '../../src/api/investor/documents/pdf';
import { statementDocument } from '../../src/api/investor/documents/statement';
import { SAMPLE_CONTRACT, SAMPLE_STATEMENT } from '../../test/api/investor/document-fixtures';
import { readPdf } from '../testing/pdf';

const OUT = path.resolve(__dirname, '../../docs/screenshots');

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const pages = [
    ['agreement-zh-page1.png', agreementDocument(SAMPLE_CONTRACT, 'zh')],
    ['agreement-en-page1.png', agreementDocument(SAMPLE_CONTRACT, 'en')],
    ['statement-zh-page1.png', statementDocument(SAMPLE_STATEMENT, 'zh', '2027-01-01')],
  ] as const;
  for (const [file, document] of pages) {
    const reading = await readPdf(await renderPdf(document), path.join(OUT, file));
    process.stdout.write(`${path.join('docs/screenshots', file)}: ${reading.pages} page(s)\n`);
  }
}

void main();
