/**
 * The agreement and the monthly statement, drawn from one template each as HTML and PDF and read
 * back as a viewer reads them (pdf.js): the parties, the masked ID, the dates and the amounts in
 * figures and in capitals are there, the Chinese text extracts, and the CJK font is embedded.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agreementDocument } from '../../../src/api/investor/documents/agreement';
import { renderHtml } from '../../../src/api/investor/documents/html';
import { renderPdf } from '../../../src/api/investor/documents/pdf';
import { statementDocument } from '../../../src/api/investor/documents/statement';
import { readPdf, type PdfReading } from '../../../tools/testing/pdf';
import { SAMPLE_CONTRACT, SAMPLE_STATEMENT } from './document-fixtures';

// pdf.js splits a line into runs; spacing between runs is layout, not content.
function squeeze(text: string): string {
  return text.replace(/\s+/g, '');
}

function expectEmbeddedCjkFont(reading: PdfReading): void {
  expect(reading.fonts.length).toBeGreaterThan(0);
  for (const font of reading.fonts) {
    expect(font.embedded).toBe(true);
    // A subset font's name carries a six-letter tag: ABCDEF+NotoSansSC-Regular.
    expect(font.name).toMatch(/^[A-Z]{6}\+NotoSansSC-(Regular|Bold)$/);
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'documents-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the agreement', () => {
  const AGREEMENT_FACTS_ZH = [
    '小金票产品投资协议',
    '合同编号：HT-XJP20261202000001',
    '签署日期：2026年12月02日',
    '发行方（甲方）',
    '小金票（XJP）',
    '销售机构（乙方）',
    '理财平台',
    '承兑银行',
    '中国工商银行',
    '投资人（丙方）',
    '张三',
    '身份证号码',
    '110***********002X',
    '¥10,000.00',
    '人民币壹万元整',
    '3.80%',
    '实际天数/365',
    '90天',
    '2026年12月03日',
    '2027年03月03日',
    '¥93.70',
    '¥10,093.70',
    '到期自动兑付至投资人原银行卡',
    '¥9.37',
    '¥10,084.33',
    '自起息日起满 7 天后，投资人可申请提前赎回',
    '按年化 0.35% 重新计算',
    '平台收取服务费，为所兑付收益的 10%',
    '四、风险揭示',
    '本产品不是银行存款',
    '在线确认时间：2026-12-0214:05:12（北京时间）',
    '确认渠道：PC网页端',
    '电子签章',
  ];

  test('the Chinese PDF names every party, the masked ID, the dates and the amount in figures and capitals, in an embedded CJK font', async () => {
    const pdf = await renderPdf(agreementDocument(SAMPLE_CONTRACT, 'zh'));
    const png = join(dir, 'agreement.png');
    const reading = await readPdf(pdf, png);
    const text = squeeze(reading.text.join('\n'));
    for (const fact of AGREEMENT_FACTS_ZH) expect(text).toContain(squeeze(fact));
    expect(text).not.toContain('format=');
    expect(text).not.toMatch(/张\*/);
    expectEmbeddedCjkFont(reading);
    // Page 1 drawn as a viewer would: A4 proportions, with text on it (a blank or broken page has no ink).
    expect(reading.png.height / reading.png.width).toBeCloseTo(297 / 210, 2);
    expect(reading.png.inkedShare).toBeGreaterThan(0.02);
    expect((await stat(png)).size).toBeGreaterThan(50_000);
    // A subset, not the whole 10 MB font.
    expect(pdf.length).toBeLessThan(400_000);
  });

  test('the HTML page carries the same facts as the PDF, from the same template', async () => {
    const html = renderHtml(agreementDocument(SAMPLE_CONTRACT, 'zh'));
    const visible = squeeze(html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' '));
    for (const fact of AGREEMENT_FACTS_ZH) expect(visible).toContain(squeeze(fact));
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).not.toMatch(/<script/i);
  });

  test('the English rendering states the same terms in English and keeps the amount in capitals', async () => {
    const reading = await readPdf(await renderPdf(agreementDocument(SAMPLE_CONTRACT, 'en')));
    const text = squeeze(reading.text.join('\n'));
    for (const fact of [
      'XJP Product Investment Agreement',
      'Agreement No.: HT-XJP20261202000001',
      'Date: 2026-12-02',
      'Issuer (Party A)',
      'Distributor (Party B)',
      'Accepting bank',
      '中国工商银行',
      'Investor (Party C)',
      '张三',
      '110***********002X',
      '¥10,000.00',
      '人民币壹万元整',
      '3.80%',
      'actual days / 365',
      '90 days',
      '2026-12-03',
      '2027-03-03',
      '¥93.70',
      'Risk disclosure',
      'from 7 days after the interest start date the investor may redeem early',
      'a service fee of 10% of the interest paid',
      'Accepted online at 2026-12-02 14:05:12 (UTC+8)',
      'Channel: PC web',
      'The Chinese text of this agreement prevails',
    ]) {
      expect(text).toContain(squeeze(fact));
    }
    expectEmbeddedCjkFont(reading);
  });

  test('a product held to maturity without a service fee says so, with no fee row', () => {
    const plain = {
      ...SAMPLE_CONTRACT,
      serviceFeeFen: 0,
      maturityPayoutFen: SAMPLE_CONTRACT.maturityAmountFen,
      product: { ...SAMPLE_CONTRACT.product, earlyRedemption: null, serviceFee: null },
    };
    const html = renderHtml(agreementDocument(plain, 'zh'));
    expect(html).toContain('不支持提前赎回或转让，投资人须持有至到期');
    expect(html).toContain('不向投资人收取认购费、管理费或赎回费');
    expect(html).not.toContain('平台服务费');
  });

  test('a product paid out on withdrawal says so, and an order not yet paid says it awaits payment', () => {
    const held = {
      ...SAMPLE_CONTRACT,
      paidAt: null,
      product: { ...SAMPLE_CONTRACT.product, payoutMode: 'ON_WITHDRAWAL' as const },
    };
    const html = renderHtml(agreementDocument(held, 'zh'));
    expect(html).toContain('到期后由投资人申请提现，兑付至原银行卡');
    expect(html).toContain('自起息日起满 7 天后');
    expect(html).not.toContain('到期自动兑付');
    expect(html).toContain('待支付');
  });
});

describe('the monthly statement', () => {
  const { holdings, payouts, totals, income } = SAMPLE_STATEMENT;

  test('the Chinese PDF lists holdings, income by day and payouts with their totals, in an embedded CJK font', async () => {
    const pdf = await renderPdf(statementDocument(SAMPLE_STATEMENT, 'zh', '2027-01-01'));
    const reading = await readPdf(pdf, join(dir, 'statement.png'));
    const text = squeeze(reading.text.join('\n'));
    for (const fact of [
      '小金票月度对账单（2026年12月）',
      '投资人：张三',
      '会员编号：M30003',
      '出具日期：2027年01月01日',
      '2026年12月01日—2026年12月31日',
      '持仓明细',
      '每日收益',
      '兑付记录',
    ]) {
      expect(text).toContain(squeeze(fact));
    }
    expect(text).toContain('¥30,000.00'); // principal held: ¥20,000.00 + ¥10,000.00
    expect(totals.principalHeldFen).toBe(3_000_000);
    for (const h of holdings) expect(text).toContain(h.orderNo);
    const payout = payouts[0]!;
    expect(text).toContain(squeeze(`2026年12月07日 ${payout.orderNo} ¥20,000.00`));
    expect(payout.totalFen).toBe(2_000_000 + payout.interestFen);
    // Income by day: 5 days of the 30-day order, then the 90-day order from 12-03; their sum is the month's income.
    expect(income[0]?.date).toBe('2026-12-01');
    expect(income.reduce((sum, d) => sum + d.amountFen, 0)).toBe(totals.incomeFen);
    expect(reading.pages).toBeGreaterThanOrEqual(2);
    expect(reading.png.inkedShare).toBeGreaterThan(0.02);
    expectEmbeddedCjkFont(reading);
  });

  test('an empty month says so in every section instead of printing empty tables', () => {
    const empty = {
      ...SAMPLE_STATEMENT,
      holdings: [],
      income: [],
      payouts: [],
      totals: { principalHeldFen: 0, incomeFen: 0, paidOutFen: 0 },
    };
    const html = renderHtml(statementDocument(empty, 'en', '2027-01-01'));
    for (const phrase of ['No holdings this month', 'No income posted this month', 'No payouts this month', '¥0.00'])
      expect(html).toContain(phrase);
  });
});
