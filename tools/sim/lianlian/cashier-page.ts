import { fenToYuan } from '../common/yuan';
import type { SimPayment } from './payments';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:3rem auto}dt{color:#666}dd{margin:0 0 .8rem}.amount{font-size:1.6rem;font-weight:bold}form{display:inline}button{font-size:1rem;padding:.4rem 1.2rem;margin-right:.6rem}</style>
</head>
<body>${body}</body>
</html>`;
}

/** The cashier an investor's browser lands on: the order, the amount, and Pay / Cancel. */
export function renderCashier(payment: SimPayment): string {
  const token = encodeURIComponent(payment.token);
  const actions =
    payment.status === 'WAITING'
      ? `<form method="post" action="/cashier/${token}/pay"><button type="submit">Pay 确认支付</button></form>
<form method="post" action="/cashier/${token}/cancel"><button type="submit">Cancel 取消</button></form>`
      : `<p>Status: ${payment.status}</p>`;
  return page(
    '连连支付 收银台',
    `<h1>连连支付 收银台</h1>
<dl>
<dt>Order 订单号</dt><dd>${escapeHtml(payment.no_order)}</dd>
<dt>Product 商品</dt><dd>${escapeHtml(payment.name_goods)}</dd>
<dt>Amount 金额</dt><dd class="amount">¥${fenToYuan(payment.moneyFen)}</dd>
</dl>
${actions}`,
  );
}

/** What the investor sees after pressing Pay or Cancel. */
export function renderOutcome(payment: SimPayment): string {
  const text = payment.status === 'PAID' ? `Paid 支付成功 (${escapeHtml(payment.oid_paybill ?? '')})` : `Payment ${payment.status}`;
  return page('连连支付', `<h1>${text}</h1><p>${escapeHtml(payment.no_order)} · ¥${fenToYuan(payment.moneyFen)}</p>`);
}
