/**
 * The contract as a printable HTML page (Chinese, as the investor reads it) and as a PDF. No
 * installed package ships a CJK font and pdfkit's built-in fonts are WinAnsi only, so the PDF is
 * in English and names the product by its code; Chinese text (the masked name) appears in it only
 * if it is printable, otherwise the member id stands in.
 */
import PDFDocument from 'pdfkit';
import { formatFen } from '../../domain/money';
import type { ContractView } from './schemas';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

function termText(c: ContractView, unitDay: string, unitMonth: string): string {
  return `${c.product.term.value} ${c.product.term.unit === 'DAY' ? unitDay : unitMonth}`;
}

/** A self-contained page (inline CSS, no scripts) that prints on A4. */
export function contractHtml(c: ContractView): string {
  const rows: Array<[string, string]> = [
    ['合同编号 Contract No.', c.contractNo],
    ['订单号 Order No.', c.orderNo],
    ['小金票订单号 XJP Order No.', c.xjpOrderNo ?? '—'],
    ['投资人 Investor', c.investor.nameMasked],
    ['收款银行卡 Bank card', c.investor.bankCardMasked],
    ['产品 Product', `${c.product.name}（${c.product.productCode}）`],
    ['投资金额 Amount', formatFen(c.amountFen)],
    ['年化收益率 Annual rate', c.annualRatePercent],
    ['投资期限 Term', termText(c, '天', '个月')],
    ['计息基准 Day count', `${c.product.dayCountBasis} 天/年`],
    ['起息日 Interest start', c.interestStartDate],
    ['到期日 Maturity', c.maturityDate],
    ['预期收益 Expected interest', formatFen(c.expectedInterestFen)],
    ['到期本息 Maturity amount', formatFen(c.maturityAmountFen)],
  ];
  const body = rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(`投资协议 ${c.contractNo}`)}</title>
<style>
@page { size: A4; margin: 20mm; }
body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: #222; max-width: 720px; margin: 0 auto; }
h1 { font-size: 20px; text-align: center; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #999; padding: 6px 10px; text-align: left; }
th { width: 40%; background: #f3f3f3; font-weight: normal; }
p.terms { font-size: 13px; line-height: 1.6; }
</style></head>
<body>
<h1>小金票投资协议 Investment Contract</h1>
<table>
${body}
</table>
<p class="terms">利息按单利计算：本金 × 年化收益率 × 计息天数 ÷ ${c.product.dayCountBasis}，四舍五入到分；到期后本息返还至投资人原银行卡。Interest is simple interest on the principal for the days from the interest start date to maturity, rounded half up to the fen; principal and interest are returned to the investor's original bank card at maturity.</p>
</body></html>
`;
}

// Helvetica in pdfkit covers WinAnsi: ASCII and Latin-1 (which includes ¥).
function printable(text: string): boolean {
  return /^[\x20-\x7e\xa0-\xff]*$/.test(text);
}

/** The contract as a PDF (English, see the module comment). */
export function contractPdf(c: ContractView): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `Investment Contract ${c.contractNo}`, Author: 'XJP order engine' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const investor = printable(c.investor.nameMasked) ? `${c.investor.nameMasked} (member ${c.investor.memberId})` : `member ${c.investor.memberId}`;
  const rows: Array<[string, string]> = [
    ['Contract No.', c.contractNo],
    ['Order No.', c.orderNo],
    ['XJP Order No.', c.xjpOrderNo ?? '-'],
    ['Investor', investor],
    ['Bank card', c.investor.bankCardMasked],
    ['Product', `${c.product.productCode} (${c.product.productId})`],
    ['Amount', formatFen(c.amountFen)],
    ['Annual rate', c.annualRatePercent],
    ['Term', termText(c, 'days', 'months')],
    ['Day count basis', `${c.product.dayCountBasis} days/year`],
    ['Interest start', c.interestStartDate],
    ['Maturity', c.maturityDate],
    ['Expected interest', formatFen(c.expectedInterestFen)],
    ['Maturity amount', formatFen(c.maturityAmountFen)],
  ];
  doc.font('Helvetica-Bold').fontSize(18).text('XJP Investment Contract', { align: 'center' }).moveDown();
  for (const [label, value] of rows) {
    doc.font('Helvetica-Bold').fontSize(11).text(`${label}: `, { continued: true }).font('Helvetica').text(value);
  }
  doc
    .moveDown()
    .fontSize(9)
    .text(
      `Simple interest: principal x annual rate x days / ${c.product.dayCountBasis}, rounded half up to the fen. ` +
        "Principal and interest are returned to the investor's original bank card at maturity. " +
        'A Chinese version of this contract is available as HTML (format=html).',
    );
  doc.end();
  return done;
}
