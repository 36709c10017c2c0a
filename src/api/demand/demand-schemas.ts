import { z } from 'zod';

/** A demand product's code, e.g. XJPHQ01. */
export const demandProductCodeSchema = z
  .string()
  .regex(/^[A-Z0-9]{2,32}$/, 'a product code (2–32 capitals and digits)');
const amountFenSchema = z.int('whole fen').positive('more than 0 fen').max(Number.MAX_SAFE_INTEGER);

/** `POST /v1/demand/subscriptions`. */
export const demandSubscribeSchema = z.strictObject({
  productCode: demandProductCodeSchema,
  amountFen: amountFenSchema,
});

/** `POST /v1/demand/redemptions`: fast (T+0, within a daily limit) or standard (T+1). */
export const demandRedeemSchema = z.strictObject({
  productCode: demandProductCodeSchema,
  amountFen: amountFenSchema,
  kind: z.enum(['FAST', 'STANDARD']),
});
