import { z } from 'zod';

/** `Idempotency-Key`: one purchase per key, whatever number of times the platform retries. */
export const idempotencyKeySchema = z
  .string({ error: 'the Idempotency-Key header is required' })
  .min(8, 'must be 8 to 128 characters')
  .max(128, 'must be 8 to 128 characters')
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');

/** What maturity does with the money (续投): pay out, or reinvest into the same product or the one `productId` names. */
export const maturityInstructionSchema = z.strictObject({
  kind: z.enum(['PAYOUT', 'REINVEST_PRINCIPAL', 'REINVEST_ALL'], {
    error: 'must be PAYOUT, REINVEST_PRINCIPAL or REINVEST_ALL',
  }),
  productId: z.string().min(1).max(64).optional(),
});

/** The body of `POST /v1/purchases`. */
export const purchaseRequestSchema = z.strictObject({
  memberId: z.string().min(1).max(64),
  productId: z.string().min(1).max(64),
  amountFen: z.number().int('must be whole fen').positive('must be positive').max(Number.MAX_SAFE_INTEGER),
  investor: z.strictObject({
    name: z.string().trim().min(1).max(50),
    mobile: z.string().regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mainland mobile number'),
    idCardNo: z.string().regex(/^\d{17}[\dX]$/, 'must be an 18-character resident ID number'),
    email: z.email(),
  }),
  bankCard: z.strictObject({
    cardNo: z.string().regex(/^\d{12,19}$/, 'must be 12 to 19 digits'),
    bankCode: z.string().regex(/^[A-Z0-9]{2,16}$/, 'must be 2 to 16 upper-case letters or digits'),
  }),
  channel: z.string().min(1).max(32),
  maturityInstruction: maturityInstructionSchema.optional(),
});

/** A validated purchase request. */
export type PurchaseRequest = z.infer<typeof purchaseRequestSchema>;

/** The `:orderNo` path parameter. */
export const orderNoSchema = z.string().regex(/^XJP\d{14}$/, 'must look like XJP20261122000123');

/** The body of `POST /v1/purchases/:orderNo/early-redemption`: the quote the investor saw and confirms. */
export const earlyRedemptionRequestSchema = z.strictObject({
  quoteId: z.string({ error: 'required: the quoteId of a quote for this order' }).min(1).max(64),
});
