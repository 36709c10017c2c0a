// Reads a PDF the way a viewer does (pdf.js) and prints JSON: the page count, each page's text, page 1's
// fonts, and page 1 drawn to PNG (written to the second path when given) with the share of inked pixels.
// A separate Node process because pdf.js is ES-module only.
// Usage: node tools/testing/pdf-page.mjs <file.pdf> [page1.png]
import { readFileSync, writeFileSync } from 'node:fs';
import { createCanvas } from '@napi-rs/canvas';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

const [pdfPath, pngPath] = process.argv.slice(2);
const pdf = await getDocument({ data: new Uint8Array(readFileSync(pdfPath)), disableFontFace: true, verbosity: 0 })
  .promise;
const pages = [];
for (let n = 1; n <= pdf.numPages; n += 1) {
  const page = await pdf.getPage(n);
  const content = await page.getTextContent();
  pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
}
const first = await pdf.getPage(1);
const fonts = new Set();
const operators = await first.getOperatorList();
for (const [i, fn] of operators.fnArray.entries()) {
  if (fn === OPS.setFont) {
    const font = first.commonObjs.has(operators.argsArray[i][0])
      ? first.commonObjs.get(operators.argsArray[i][0])
      : null;
    if (font) fonts.add(JSON.stringify({ name: font.name, embedded: !font.missingFile, type: font.type }));
  }
}
const viewport = first.getViewport({ scale: 1.6 });
const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
const context = canvas.getContext('2d');
context.fillStyle = '#ffffff';
context.fillRect(0, 0, canvas.width, canvas.height);
await first.render({ canvasContext: context, viewport, canvas }).promise;
const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
let inked = 0;
for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] < 600) inked += 1;
if (pngPath) writeFileSync(pngPath, canvas.toBuffer('image/png'));
const png = { width: canvas.width, height: canvas.height, inkedShare: inked / (canvas.width * canvas.height) };
process.stdout.write(
  JSON.stringify({ pages: pdf.numPages, text: pages, fonts: [...fonts].map((f) => JSON.parse(f)), png }),
);
