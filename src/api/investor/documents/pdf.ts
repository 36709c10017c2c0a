/**
 * Draws an {@link InvestorDocument} as an A4 PDF with pdfkit, in an embedded subset of Noto Sans SC
 * (see cjk-font.ts) so the Chinese text prints and copies out on any reader.
 */
import PDFDocument from 'pdfkit';
import { cjkFonts } from './cjk-font';
import { labelled, type Block, type Field, type InvestorDocument, type Signatory } from './document';

type Pdf = PDFKit.PDFDocument;

const MARGIN = 50;
const CELL_PAD = 5;
const BODY_SIZE = 10;
const INK = '#1a1a1a';
const RULE = '#9b1b1b';
const SEAL_RED = '#c8161d';
const SEAL_RADIUS = 34;
const HEADER_FILL = '#f5f1ea';
const BORDER = '#bbbbbb';
const FONT = { regular: 'cjk', bold: 'cjk-bold' } as const;

function contentWidth(pdf: Pdf): number {
  return pdf.page.width - MARGIN * 2;
}

function bottom(pdf: Pdf): number {
  return pdf.page.height - MARGIN;
}

/** Starts a new page when `height` more points do not fit on this one. */
function ensureSpace(pdf: Pdf, height: number): void {
  if (pdf.y + height > bottom(pdf)) pdf.addPage();
}

interface Cell {
  text: string;
  width: number;
  align: 'left' | 'right' | 'center';
  fill?: string;
  font?: string;
  color?: string;
}

/** One table row of bordered cells, as tall as its tallest cell; moves to a new page first if it does not fit. */
function row(pdf: Pdf, cells: Cell[]): void {
  const heights = cells.map((c) =>
    pdf
      .font(c.font ?? FONT.regular)
      .fontSize(BODY_SIZE)
      .heightOfString(c.text, { width: c.width - CELL_PAD * 2 }),
  );
  const height = Math.max(...heights) + CELL_PAD * 2;
  ensureSpace(pdf, height);
  const top = pdf.y;
  let x = MARGIN;
  for (const c of cells) {
    if (c.fill !== undefined) pdf.rect(x, top, c.width, height).fill(c.fill);
    pdf.rect(x, top, c.width, height).lineWidth(0.5).strokeColor(BORDER).stroke();
    pdf
      .fillColor(c.color ?? INK)
      .font(c.font ?? FONT.regular)
      .fontSize(BODY_SIZE)
      .text(c.text, x + CELL_PAD, top + CELL_PAD, { width: c.width - CELL_PAD * 2, align: c.align });
    x += c.width;
  }
  pdf.x = MARGIN;
  pdf.y = top + height;
}

function fields(pdf: Pdf, list: Field[]): void {
  const labelWidth = contentWidth(pdf) * 0.3;
  for (const f of list) {
    row(pdf, [
      { text: f.label, width: labelWidth, align: 'left', fill: HEADER_FILL },
      { text: f.value, width: contentWidth(pdf) - labelWidth, align: 'left' },
    ]);
  }
}

function table(pdf: Pdf, b: Extract<Block, { kind: 'table' }>): void {
  const unit = contentWidth(pdf) / b.columns.reduce((sum, c) => sum + c.weight, 0);
  row(
    pdf,
    b.columns.map((c) => ({ text: c.title, width: c.weight * unit, align: c.align, fill: HEADER_FILL })),
  );
  if (b.rows.length === 0) row(pdf, [{ text: b.empty, width: contentWidth(pdf), align: 'center', color: '#777777' }]);
  for (const cells of b.rows)
    row(
      pdf,
      cells.map((text, i) => ({
        text,
        width: (b.columns[i]?.weight ?? 1) * unit,
        align: b.columns[i]?.align ?? 'left',
      })),
    );
}

function seal(pdf: Pdf, text: string, centreX: number, centreY: number): void {
  const radius = SEAL_RADIUS;
  pdf.save().opacity(0.85);
  pdf.circle(centreX, centreY, radius).lineWidth(2.5).strokeColor(SEAL_RED).stroke();
  pdf
    .circle(centreX, centreY, radius - 5)
    .lineWidth(0.6)
    .strokeColor(SEAL_RED)
    .stroke();
  pdf.font(FONT.bold).fontSize(8).fillColor(SEAL_RED);
  const textWidth = radius * 1.5;
  const height = pdf.heightOfString(text, { width: textWidth, align: 'center' });
  pdf.text(text, centreX - textWidth / 2, centreY - height / 2, { width: textWidth, align: 'center' });
  pdf.restore();
}

function signatures(pdf: Pdf, parties: Signatory[]): void {
  const gap = 10;
  const width = (contentWidth(pdf) - gap * (parties.length - 1)) / parties.length;
  const textWidth = width - CELL_PAD * 2;
  const heights = parties.map((p) =>
    pdf
      .font(FONT.regular)
      .fontSize(BODY_SIZE - 1)
      .heightOfString([p.role, p.name, ...p.lines].join('\n'), { width: textWidth }),
  );
  // Room for the text above and the seal below it, so the seal never covers a line.
  const height = Math.max(...heights) + CELL_PAD * 3 + SEAL_RADIUS * 2;
  ensureSpace(pdf, height);
  const top = pdf.y;
  parties.forEach((p, i) => {
    const x = MARGIN + i * (width + gap);
    pdf.rect(x, top, width, height).lineWidth(0.5).strokeColor(BORDER).stroke();
    if (p.seal !== null) seal(pdf, p.seal, x + width - SEAL_RADIUS - 8, top + height - SEAL_RADIUS - 4);
    pdf
      .fillColor('#555555')
      .font(FONT.regular)
      .fontSize(BODY_SIZE - 1)
      .text(p.role, x + CELL_PAD, top + CELL_PAD, { width: textWidth });
    pdf.fillColor(INK).font(FONT.bold).text(p.name, { width: textWidth });
    pdf.font(FONT.regular);
    for (const line of p.lines) pdf.text(line, { width: textWidth });
  });
  pdf.x = MARGIN;
  pdf.y = top + height;
}

function block(pdf: Pdf, b: Block): void {
  switch (b.kind) {
    case 'heading': {
      ensureSpace(pdf, 60);
      pdf.moveDown(0.8).fillColor(INK).font(FONT.bold).fontSize(12).text(b.text, MARGIN);
      const y = pdf.y + 2;
      pdf
        .moveTo(MARGIN, y)
        .lineTo(MARGIN + contentWidth(pdf), y)
        .lineWidth(1.2)
        .strokeColor(RULE)
        .stroke();
      pdf.y = y + 6;
      return;
    }
    case 'fields':
      fields(pdf, b.fields);
      return;
    case 'paragraph':
      pdf
        .fillColor(INK)
        .font(FONT.regular)
        .fontSize(BODY_SIZE)
        .text(b.text, MARGIN, pdf.y, { width: contentWidth(pdf), lineGap: 2 });
      pdf.moveDown(0.3);
      return;
    case 'clauses':
      pdf.fillColor(INK).font(FONT.regular).fontSize(BODY_SIZE);
      b.items.forEach((item, i) => {
        pdf.text(`${i + 1}. ${item}`, MARGIN, pdf.y, { width: contentWidth(pdf), lineGap: 2 });
        pdf.moveDown(0.25);
      });
      return;
    case 'table':
      table(pdf, b);
      return;
    case 'signatures':
      pdf.moveDown(0.5);
      signatures(pdf, b.parties);
      return;
  }
}

function footers(pdf: Pdf, doc: InvestorDocument): void {
  const { start, count } = pdf.bufferedPageRange();
  for (let i = start; i < start + count; i += 1) {
    pdf.switchToPage(i);
    const page = doc.lang === 'zh' ? `第 ${i + 1} 页 / 共 ${count} 页` : `Page ${i + 1} of ${count}`;
    // Drawn inside the bottom margin: lift the margin so pdfkit does not start a new page for it.
    pdf.page.margins.bottom = 0;
    pdf
      .fillColor('#777777')
      .font(FONT.regular)
      .fontSize(8)
      .text(`${doc.footer}    ${page}`, MARGIN, pdf.page.height - MARGIN + 14, {
        width: contentWidth(pdf),
        align: 'center',
      });
  }
}

/** The document as a PDF in its language, every text in the embedded CJK font. */
export function renderPdf(doc: InvestorDocument): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    lang: doc.lang === 'zh' ? 'zh-CN' : 'en',
    displayTitle: true,
    info: { Title: doc.title, Author: doc.footer },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const fonts = cjkFonts();
  pdf.registerFont(FONT.regular, fonts.regular);
  pdf.registerFont(FONT.bold, fonts.bold);

  pdf
    .fillColor(INK)
    .font(FONT.bold)
    .fontSize(18)
    .text(doc.title, { align: 'center', characterSpacing: doc.lang === 'zh' ? 1 : 0 });
  pdf.moveDown(0.3).font(FONT.regular).fontSize(BODY_SIZE).fillColor('#555555');
  pdf.text(doc.subtitle.map((f) => labelled(doc.lang, f.label, f.value)).join('      '), { align: 'center' });
  pdf.moveDown(0.5);
  for (const b of doc.blocks) block(pdf, b);
  footers(pdf, doc);
  pdf.end();
  return done;
}
