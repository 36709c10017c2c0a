/**
 * The investment agreement (投资协议) as a document: the one template both the HTML page and the PDF
 * are drawn from. Chinese is the binding text; the English rendering says the same in English.
 */
import { formatFen } from '../../../domain/money';
import { formatRate, parseAnnualRate } from '../../../domain/rate';
import type { ContractView } from '../schemas';
import { inLang, type Block, type DocumentLang, type InvestorDocument } from './document';
import { dateText, instantText, termText } from './format';
import { PARTY_NAMES } from './parties';

const CHANNELS: Record<string, { zh: string; en: string }> = {
  PC: { zh: 'PC 网页端', en: 'PC web' },
  H5: { zh: '手机网页', en: 'mobile web' },
  APP: { zh: '手机 App', en: 'mobile app' },
};

function channelText(lang: DocumentLang, channel: string | null): string {
  if (channel === null) return inLang(lang, '未记录', 'not recorded');
  return CHANNELS[channel]?.[lang] ?? channel;
}

function partiesBlock(c: ContractView, t: (zh: string, en: string) => string, lang: DocumentLang): Block {
  return {
    kind: 'fields',
    fields: [
      { label: t('发行方（甲方）', 'Issuer (Party A)'), value: PARTY_NAMES.issuer[lang] },
      { label: t('销售机构（乙方）', 'Distributor (Party B)'), value: PARTY_NAMES.distributor[lang] },
      {
        label: t('承兑银行', 'Accepting bank'),
        value: c.parties.acceptingBank ?? t('以发行方公告为准', 'as announced by the issuer'),
      },
      { label: t('投资人（丙方）', 'Investor (Party C)'), value: c.investor.name },
      { label: t('身份证号码', 'ID card number'), value: c.investor.idCardNoMasked },
      { label: t('会员编号', 'Member number'), value: c.investor.memberId },
      { label: t('收款银行卡', 'Bank card for repayment'), value: c.investor.bankCardMasked },
    ],
  };
}

function termsBlock(c: ContractView, t: (zh: string, en: string) => string, lang: DocumentLang): Block {
  const basis = c.product.dayCountBasis;
  return {
    kind: 'fields',
    fields: [
      {
        label: t('产品名称', 'Product'),
        value: t(`${c.product.name}（${c.product.productCode}）`, `${c.product.name} (${c.product.productCode})`),
      },
      { label: t('订单号', 'Order number'), value: c.orderNo },
      { label: t('发行方订单号', "Issuer's order number"), value: c.xjpOrderNo ?? '—' },
      { label: t('投资金额（小写）', 'Amount (in figures)'), value: formatFen(c.amountFen) },
      { label: t('投资金额（大写）', 'Amount (in Chinese capitals)'), value: `人民币${c.amountInCapitals}` },
      { label: t('预期年化收益率', 'Expected annual rate'), value: c.annualRatePercent },
      {
        label: t('计息基准', 'Day-count basis'),
        value: t(`实际天数/${basis}（按日计息，单利）`, `actual days / ${basis} (simple interest, daily)`),
      },
      { label: t('投资期限', 'Term'), value: termText(lang, c.product.term) },
      {
        label: t('起息日', 'Interest start'),
        value: `${dateText(lang, c.interestStartDate)}${t(`（资金到账次日起息，${c.product.interestStartRule}）`, ` (the day after payment, ${c.product.interestStartRule})`)}`,
      },
      { label: t('到期日', 'Maturity'), value: dateText(lang, c.maturityDate) },
      { label: t('预期收益', 'Expected interest'), value: formatFen(c.expectedInterestFen) },
      { label: t('到期应付本息', 'Principal and interest at maturity'), value: formatFen(c.maturityAmountFen) },
      ...(c.serviceFeeFen === 0
        ? []
        : [
            { label: t('平台服务费', 'Platform service fee'), value: formatFen(c.serviceFeeFen) },
            { label: t('到期实付金额', 'Paid out at maturity'), value: formatFen(c.maturityPayoutFen) },
          ]),
      {
        label: t('兑付方式', 'Repayment'),
        value:
          c.product.payoutMode === 'AUTO'
            ? t('到期自动兑付至投资人原银行卡', "paid automatically at maturity to the investor's original bank card")
            : t(
                '到期后由投资人申请提现，兑付至原银行卡',
                'held at maturity until the investor asks to withdraw, then paid to the original bank card',
              ),
      },
      {
        label: t('支付时间', 'Paid at'),
        value: c.paidAt === null ? t('待支付', 'awaiting payment') : instantText(lang, c.paidAt),
      },
    ],
  };
}

function clauses(c: ContractView, t: (zh: string, en: string) => string): string[] {
  const basis = c.product.dayCountBasis;
  return [
    t(
      `收益计算：按单利计算，持有第 d 天的累计利息 = 本金 × 预期年化收益率 × d ÷ ${basis}，四舍五入至分；每日收益为当日累计利息与前一日累计利息之差，投资期限内每日收益之和等于上表所列预期收益。`,
      `Interest: simple interest; the interest for the first d days = principal × expected annual rate × d ÷ ${basis}, rounded half up to the fen. Each day's income is the difference between consecutive days, so the days add up exactly to the expected interest above.`,
    ),
    t(
      '起息与到期：发行方确认投资资金到账后，自起息日起计息，至到期日止；到期日不再计息。',
      'Interest start and maturity: once the issuer has confirmed the funds, interest accrues from the interest start date up to the maturity date, which bears no interest.',
    ),
    c.product.payoutMode === 'AUTO'
      ? t(
          '兑付：到期日将本金及收益划付至投资人原支付银行卡；到期日为法定节假日的，顺延至下一工作日划付，顺延期间不计息。',
          "Repayment: principal and interest are paid to the investor's original bank card at maturity; a maturity on a public holiday is paid on the next business day, without interest for the extra days.",
        )
      : t(
          '兑付：到期后本金及收益保留在投资人账户中，投资人申请提现后划付至原支付银行卡；到期后不再计息。',
          "Repayment: at maturity principal and interest are held in the investor's account and paid to the original bank card when the investor asks to withdraw; no interest accrues after maturity.",
        ),
    earlyRedemptionClause(c, t),
    feeClause(c, t),
    t(
      '生效与终止：本协议经投资人在线确认后成立，自发行方确认投资资金到账之日起生效，至本金及收益兑付完毕之日终止；投资人未在支付期限内付款的，订单失效，本协议不生效。',
      'Effect and end: this agreement is made when the investor accepts it online, takes effect when the issuer confirms the funds, and ends when principal and interest have been paid; an order not paid within its payment window lapses and the agreement never takes effect.',
    ),
    t(
      '争议解决：因本协议产生的争议，各方应协商解决；协商不成的，任何一方可向发行方所在地有管辖权的人民法院提起诉讼。',
      "Disputes: the parties settle disputes by negotiation first; failing that, any party may sue in the competent people's court where the issuer is domiciled.",
    ),
    t(
      '本协议以中文为准，英文译本仅供参考。',
      'The Chinese text of this agreement prevails; this English rendering is for reference.',
    ),
  ];
}

function risks(c: ContractView, t: (zh: string, en: string) => string): string[] {
  const bank = c.parties.acceptingBank ?? t('承兑银行', 'the accepting bank');
  return [
    t(
      `信用风险：本产品的基础资产为${bank}承兑的商业汇票；承兑银行到期不能兑付的，投资人可能损失部分或全部本金及收益。`,
      `Credit risk: the product is backed by bills accepted by ${bank}; if the bank does not honour them at maturity the investor may lose part or all of the principal and interest.`,
    ),
    t(
      '流动性风险：投资期限内不能提前赎回，资金在到期前不可使用。',
      'Liquidity risk: the money cannot be redeemed or used before maturity.',
    ),
    t(
      '兑付延迟风险：遇法定节假日、银行或支付机构系统故障等情形，兑付资金到账可能延迟。',
      'Delay risk: public holidays and failures at banks or payment companies may delay the repayment.',
    ),
    t(
      '政策风险：法律法规及监管政策的变化可能影响本产品的投资运作及兑付。',
      'Policy risk: changes in law or regulation may affect how the product is run and repaid.',
    ),
    t(
      '不可抗力风险：自然灾害、战争、系统性金融危机等不可抗力可能导致投资损失。',
      'Force majeure: natural disasters, war or a systemic financial crisis may cause losses.',
    ),
  ];
}

/** The agreement of one order in one language. */
export function agreementDocument(c: ContractView, lang: DocumentLang): InvestorDocument {
  const t = (zh: string, en: string): string => inLang(lang, zh, en);
  const companySigned = [
    t(`签章日期：${dateText(lang, c.contractDate)}`, `Sealed on ${dateText(lang, c.contractDate)}`),
  ];
  return {
    lang,
    title: t('小金票产品投资协议', 'XJP Product Investment Agreement'),
    subtitle: [
      { label: t('合同编号', 'Agreement No.'), value: c.contractNo },
      { label: t('签署日期', 'Date'), value: dateText(lang, c.contractDate) },
    ],
    blocks: [
      { kind: 'heading', text: t('一、协议各方', '1. Parties') },
      partiesBlock(c, t, lang),
      { kind: 'heading', text: t('二、产品及投资要素', '2. Product and terms') },
      termsBlock(c, t, lang),
      { kind: 'heading', text: t('三、主要条款', '3. Terms and conditions') },
      { kind: 'clauses', items: clauses(c, t) },
      { kind: 'heading', text: t('四、风险揭示', '4. Risk disclosure') },
      {
        kind: 'paragraph',
        text: t(
          '本产品不是银行存款，不受存款保险保护；预期年化收益率不代表实际收益，也不构成发行方、销售机构或承兑银行对本金和收益的保证。投资有风险，请投资人审慎决策。',
          'This product is not a bank deposit and is not covered by deposit insurance. The expected annual rate is not a promise of return, and neither the issuer, the distributor nor the accepting bank guarantees principal or interest. Investing carries risk.',
        ),
      },
      { kind: 'clauses', items: risks(c, t) },
      {
        kind: 'paragraph',
        text: t(
          '投资人确认：已阅读并理解本协议全部条款及上述风险揭示，自愿购买本产品并自行承担投资风险。',
          'The investor confirms having read and understood every term of this agreement and the risks above, buys the product of their own will and bears its risks.',
        ),
      },
      { kind: 'heading', text: t('五、签署', '5. Signatures') },
      {
        kind: 'signatures',
        parties: [
          {
            role: t('发行方（甲方）', 'Issuer (Party A)'),
            name: PARTY_NAMES.issuer[lang],
            lines: companySigned,
            seal: t('小金票\n电子签章', 'XJP\ne-seal'),
          },
          {
            role: t('销售机构（乙方）', 'Distributor (Party B)'),
            name: PARTY_NAMES.distributor[lang],
            lines: companySigned,
            seal: t('理财平台\n电子签章', 'Platform\ne-seal'),
          },
          {
            role: t('投资人（丙方）', 'Investor (Party C)'),
            name: c.investor.name,
            lines: [
              t(
                `在线确认时间：${instantText(lang, c.acceptance.at)}`,
                `Accepted online at ${instantText(lang, c.acceptance.at)}`,
              ),
              t(
                `确认渠道：${channelText(lang, c.acceptance.channel)}`,
                `Channel: ${channelText(lang, c.acceptance.channel)}`,
              ),
            ],
            seal: null,
          },
        ],
      },
    ],
    footer: t(`小金票产品投资协议 ${c.contractNo}`, `XJP Product Investment Agreement ${c.contractNo}`),
  };
}

/** What leaving before maturity costs, as the product's frozen terms state it. */
function earlyRedemptionClause(c: ContractView, t: (zh: string, en: string) => string): string {
  const early = c.product.earlyRedemption;
  if (early === null || !early.allowed)
    return t(
      '提前赎回：本产品为固定期限产品，不支持提前赎回或转让，投资人须持有至到期。',
      'Early redemption: this is a fixed-term product; it cannot be redeemed early or transferred and is held to maturity.',
    );
  const lockIn = early.lockInDays;
  const { penalty } = early;
  const cost =
    penalty.kind === 'PENALTY_RATE'
      ? t(
          `已持有天数的收益按年化 ${formatRate(parseAnnualRate(penalty.annualRate))} 重新计算（不高于已产生的收益）`,
          `the days held earn interest at ${formatRate(parseAnnualRate(penalty.annualRate))} a year instead (never more than they earned)`,
        )
      : t(
          `从本金中扣除本金的 ${penalty.bp / 100}% 作为违约金，已持有天数的收益照付`,
          `${penalty.bp / 100}% of principal is deducted as a penalty; the days held keep their interest`,
        );
  return t(
    `提前赎回（违约赎回）：自起息日起满 ${lockIn} 天后，投资人可申请提前赎回，${cost}；赎回前平台先出具报价（本金、保留收益、违约金、服务费及实付金额），投资人确认后按报价兑付。`,
    `Early redemption: from ${lockIn} days after the interest start date the investor may redeem early; ${cost}. The platform quotes first (principal, interest kept, penalty, service fee and the amount paid out) and pays the quote once the investor confirms it.`,
  );
}

/** The platform's service fee on redemption, or that there is none. */
function feeClause(c: ContractView, t: (zh: string, en: string) => string): string {
  const fee = c.product.serviceFee;
  if (fee === null)
    return t(
      '费用：本产品不向投资人收取认购费、管理费或赎回费。',
      'Fees: the investor pays no subscription, management or redemption fee for this product.',
    );
  const rule =
    fee.kind === 'INTEREST_BP'
      ? t(`所兑付收益的 ${fee.bp / 100}%`, `${fee.bp / 100}% of the interest paid`)
      : t(
          `每笔 ${formatFen(fee.fen)}（以所兑付收益为限）`,
          `${formatFen(fee.fen)} per redemption (never more than the interest paid)`,
        );
  return t(
    `费用：本产品不收取认购费或管理费；兑付（到期或提前赎回）时平台收取服务费，为${rule}，从兑付金额中扣除，不动用本金。`,
    `Fees: no subscription or management fee; on redemption (at maturity or early) the platform keeps a service fee of ${rule}, deducted from the amount paid out and never from principal.`,
  );
}
