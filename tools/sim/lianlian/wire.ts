import type { Response } from 'express';
import { z } from 'zod';
import { parseShanghaiTimestamp } from '../common/shanghai-time';
import { yuanToFen } from '../common/yuan';

/** LianLian's answer codes. */
export const RET = {
  ok: '0000',
  badSignature: '1001',
  staleTimestamp: '1002',
  malformed: '1003',
  invalidCard: '4001',
  conflictingOrder: '4002',
  refundExceedsPayment: '4003',
  noSuchPayout: '8901',
  noSuchPayment: '8902',
  noSuchRefund: '8903',
} as const;

/** Answers with LianLian's envelope: always HTTP 200, the outcome in `ret_code`. */
export function reply(res: Response, retCode: string, retMsg: string, fields: Record<string, unknown> = {}): void {
  res.json({ ret_code: retCode, ret_msg: retMsg, ...fields });
}

/** Yuan with at most two decimals, as fen; positive. */
export const yuanFen = z.string().transform((text, ctx) => {
  const fen = yuanToFen(text);
  if (fen === undefined || fen === 0) {
    ctx.addIssue({ code: 'custom', message: 'money_order must be positive yuan with at most two decimals' });
    return z.NEVER;
  }
  return fen;
});

/** A `yyyyMMddHHmmss` Shanghai time, kept as text. */
export const shanghaiTimestamp = z.string().refine((text) => parseShanghaiTimestamp(text) !== undefined, {
  message: 'must be yyyyMMddHHmmss',
});
