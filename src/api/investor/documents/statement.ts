/** The monthly statement (月度对账单) as a document, drawn as HTML and PDF like the agreement. */
import { formatFen } from '../../../domain/money';
import type { StatementView } from '../schemas';
import { inLang, type InvestorDocument, type DocumentLang } from './document';
import { dateText } from './format';
import { PARTY_NAMES } from './parties';

function monthText(lang: DocumentLang, month: string): string {
  const [year, mm] = month.split('-');
  return lang === 'zh' ? `${year}年${mm}月` : month;
}

/** The statement of one member and month in one language; `issuedOn` is the day it is drawn. */
export function statementDocument(s: StatementView, lang: DocumentLang, issuedOn: string): InvestorDocument {
  const t = (zh: string, en: string): string => inLang(lang, zh, en);
  const dateOrDash = (date: string | null): string => (date === null ? '—' : dateText(lang, date));
  return {
    lang,
    title: t(`小金票月度对账单（${monthText(lang, s.month)}）`, `XJP Monthly Statement, ${s.month}`),
    subtitle: [
      { label: t('投资人', 'Investor'), value: s.investorName ?? s.memberId },
      { label: t('会员编号', 'Member number'), value: s.memberId },
      { label: t('出具日期', 'Issued'), value: dateText(lang, issuedOn) },
    ],
    blocks: [
      { kind: 'heading', text: t('一、本月概览', '1. The month at a glance') },
      {
        kind: 'fields',
        fields: [
          { label: t('对账期间', 'Period'), value: `${dateText(lang, s.from)} — ${dateText(lang, s.to)}` },
          { label: t('本月持仓本金', 'Principal held in the month'), value: formatFen(s.totals.principalHeldFen) },
          { label: t('本月收益', 'Income in the month'), value: formatFen(s.totals.incomeFen) },
          { label: t('本月兑付到账', 'Paid out in the month'), value: formatFen(s.totals.paidOutFen) },
        ],
      },
      { kind: 'heading', text: t('二、持仓明细', '2. Holdings') },
      {
        kind: 'table',
        columns: [
          { title: t('订单号 / 产品', 'Order / product'), align: 'left', weight: 2.2 },
          { title: t('本金', 'Principal'), align: 'right', weight: 1.4 },
          { title: t('年化收益率', 'Annual rate'), align: 'right', weight: 1.3 },
          { title: t('起息日 / 到期日', 'Interest start / maturity'), align: 'left', weight: 1.9 },
          { title: t('本月收益', 'Income this month'), align: 'right', weight: 1.3 },
          { title: t('累计收益', 'Income to month end'), align: 'right', weight: 1.3 },
        ],
        rows: s.holdings.map((h) => [
          `${h.orderNo}\n${h.productName}`,
          formatFen(h.principalFen),
          h.annualRatePercent,
          `${dateOrDash(h.interestStartDate)}\n${dateOrDash(h.maturityDate)}`,
          formatFen(h.incomeInMonthFen),
          formatFen(h.incomeToMonthEndFen),
        ]),
        empty: t('本月无持仓', 'No holdings this month'),
      },
      { kind: 'heading', text: t('三、每日收益', '3. Income by day') },
      {
        kind: 'table',
        columns: [
          { title: t('日期', 'Date'), align: 'left', weight: 1 },
          { title: t('收益', 'Income'), align: 'right', weight: 1 },
        ],
        rows: s.income.map((d) => [dateText(lang, d.date), formatFen(d.amountFen)]),
        empty: t('本月无收益入账', 'No income posted this month'),
      },
      { kind: 'heading', text: t('四、兑付记录', '4. Payouts') },
      {
        kind: 'table',
        columns: [
          { title: t('到账日期', 'Paid on'), align: 'left', weight: 1.9 },
          { title: t('订单号', 'Order'), align: 'left', weight: 2.4 },
          { title: t('本金', 'Principal'), align: 'right', weight: 1.4 },
          { title: t('收益', 'Interest'), align: 'right', weight: 1.1 },
          { title: t('合计', 'Total'), align: 'right', weight: 1.4 },
          { title: t('收款银行卡', 'Bank card'), align: 'left', weight: 1.2 },
        ],
        rows: s.payouts.map((p) => [
          dateText(lang, p.settledOn),
          p.orderNo,
          formatFen(p.principalFen),
          formatFen(p.interestFen),
          formatFen(p.totalFen),
          p.bankCardMasked,
        ]),
        empty: t('本月无兑付', 'No payouts this month'),
      },
      {
        kind: 'paragraph',
        text: t(
          '说明：收益按日计提入账，金额单位为人民币元；本对账单所列数据以发行方及支付机构最终确认为准。如有疑问，请于收到后 30 日内联系客服。',
          'Income is posted daily; amounts are in RMB yuan. Figures are subject to final confirmation by the issuer and the payment company. Please raise any question within 30 days of receipt.',
        ),
      },
    ],
    footer: t(
      `${PARTY_NAMES.distributor.zh} · 小金票月度对账单 ${s.month}`,
      `${PARTY_NAMES.distributor.en} · XJP Monthly Statement ${s.month}`,
    ),
  };
}
