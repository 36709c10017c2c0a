import { z } from 'zod';
import { isCalendarDate } from '../../domain/calendar';
import { ORDER_STATUSES } from '../../domain/order-status';
import { DATE_RANGE_MESSAGE, withinDateRange } from '../date-range';

const calendarDate = z
  .string()
  .refine(isCalendarDate, 'must be a calendar date YYYY-MM-DD')
  .refine(withinDateRange, DATE_RANGE_MESSAGE);

/** `state` may repeat (`?state=PAID&state=ACCRUING`) or list several (`?state=PAID,ACCRUING`). */
const states = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (Array.isArray(value) ? value : [value])
      .flatMap((part) => part.split(','))
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  )
  .pipe(z.array(z.enum(ORDER_STATUSES)).min(1));

/** The query of `GET /ops/orders`; dates are Asia/Shanghai calendar days, both ends included. */
export const orderSearchSchema = z
  .strictObject({
    orderNo: z.string().min(1).max(64).optional(),
    memberId: z.string().min(1).max(64).optional(),
    productId: z.string().min(1).max(64).optional(),
    state: states.optional(),
    createdFrom: calendarDate.optional(),
    createdTo: calendarDate.optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .refine((q) => q.createdFrom === undefined || q.createdTo === undefined || q.createdFrom <= q.createdTo, {
    message: 'createdFrom must not be after createdTo',
    path: ['createdFrom'],
  });

/** A validated order search. */
export type OrderSearch = z.infer<typeof orderSearchSchema>;

/** The query of `GET /ops/overview`: the Shanghai day "today" means (default: the current one). */
export const overviewQuerySchema = z.strictObject({ date: calendarDate.optional() });

/** The body of `POST /ops/orders/:orderNo/interest-decision`. */
export const interestDecisionSchema = z.strictObject({ decision: z.enum(['ACCEPT_XJP_FIGURE', 'REJECT']) });
