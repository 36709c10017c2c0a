import { formatFen } from '../../../src/domain/money';
import { parseShanghaiTimestamp } from '../common/shanghai-time';
import type { SimPayment } from './payments';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:30rem;margin:3rem auto}dt{color:#666}dd{margin:0 0 .8rem}.amount{font-size:1.6rem;font-weight:bold}.minor{color:#666;font-size:.85rem}form{display:inline}button{font-size:1rem;padding:.4rem 1.2rem;margin-right:.6rem}</style>
</head>
<body>${body}</body>
</html>`;
}

/** `dt_order` + `valid_order` minutes, as Shanghai wall time `yyyy-MM-dd HH:mm`; null when no window was given. */
function payBefore(payment: SimPayment): string | null {
  const ordered = parseShanghaiTimestamp(payment.dt_order);
  if (payment.valid_order === undefined || ordered === undefined) return null;
  const deadline = new Date(ordered.getTime() + payment.valid_order * 60_000 + 8 * 60 * 60_000);
  return deadline.toISOString().slice(0, 16).replace('T', ' ');
}

// The platform's order number leads (it is the one the investor saw when ordering); XJP's is secondary.
function orderLines(payment: SimPayment): string {
  const ours =
    payment.info_order === undefined ? '' : `<dt>Order 订单号</dt><dd>${escapeHtml(payment.info_order)}</dd>\n`;
  return `${ours}<dt>Merchant order 商户订单号</dt><dd class="minor">${escapeHtml(payment.no_order)}</dd>`;
}

/** The cashier an investor's browser lands on: payee, order, amount, pay-before time, and Pay / Cancel. */
export function renderCashier(payment: SimPayment, payee: string): string {
  const token = encodeURIComponent(payment.token);
  const deadline = payBefore(payment);
  const actions =
    payment.status === 'WAITING'
      ? `<form method="post" action="/cashier/${token}/pay"><button type="submit">Pay 确认支付</button></form>
<form method="post" action="/cashier/${token}/cancel"><button type="submit">Cancel 取消</button></form>`
      : `<p>Status 状态: ${payment.status}</p>`;
  return page(
    '连连支付 收银台',
    `<h1>连连支付 收银台</h1>
<dl>
<dt>Payee 收款方</dt><dd>${escapeHtml(payee)}</dd>
${orderLines(payment)}
<dt>Product 商品</dt><dd>${escapeHtml(payment.name_goods)}</dd>
<dt>Amount 金额</dt><dd class="amount">${formatFen(payment.moneyFen)}</dd>
${deadline === null ? '' : `<dt>Pay before 请在此时间前支付</dt><dd>${deadline}（北京时间）</dd>`}
</dl>
${actions}`,
  );
}

/** What the investor sees after pressing Pay or Cancel: the outcome, LianLian's bill number, and the way back. */
export function renderOutcome(payment: SimPayment, payee: string): string {
  const heading =
    payment.status === 'PAID'
      ? 'Paid 支付成功'
      : payment.status === 'CANCELLED'
        ? 'Cancelled 已取消'
        : `Payment ${payment.status}`;
  const bill =
    payment.oid_paybill === undefined
      ? ''
      : `<dt>Bill number 连连支付流水号</dt><dd>${escapeHtml(payment.oid_paybill)}</dd>\n`;
  const back =
    payment.url_return === undefined
      ? `<p><a href="/cashier/${encodeURIComponent(payment.token)}">Back to the payment 返回支付详情</a></p>`
      : `<p><a href="${escapeHtml(payment.url_return)}">Back to the merchant 返回商户</a></p>`;
  return page(
    '连连支付',
    `<h1>${heading}</h1>
<dl>
<dt>Payee 收款方</dt><dd>${escapeHtml(payee)}</dd>
${orderLines(payment)}
<dt>Amount 金额</dt><dd class="amount">${formatFen(payment.moneyFen)}</dd>
${bill}</dl>
${back}`,
  );
}
