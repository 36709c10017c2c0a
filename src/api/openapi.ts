/**
 * The OpenAPI 3.1 document of `/v1`, generated from the same zod schemas the routes validate
 * requests with and type their answers by, so the document cannot drift from the code. OpenAPI
 * 3.1 schemas are JSON Schema 2020-12, zod's default `toJSONSchema` target.
 */
import { z } from 'zod';
import {
  documentQuerySchema,
  contractSchema,
  statementSchema,
  errorSchema,
  holdingsSchema,
  homeProductsSchema,
  incomeHistorySchema,
  incomeQuerySchema,
  orderHistoryQuerySchema,
  orderHistorySchema,
  productListQuerySchema,
  productPageSchema,
  productSchema,
} from './investor/schemas';
import { demandRedeemSchema, demandSubscribeSchema } from './demand/demand-schemas';
import { maturityInstructionSchema, purchaseRequestSchema } from './purchase-schemas';

type JsonObject = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  // `$schema` is dropped: the document's dialect (OpenAPI 3.1 = JSON Schema 2020-12) already says it.
  const generated: JsonObject = { ...z.toJSONSchema(schema, { io, unrepresentable: 'any' }) };
  delete generated.$schema;
  return generated;
}

/** Query parameters from a zod object schema, one per property. */
function queryParameters(schema: z.ZodObject): JsonObject[] {
  const generated = jsonSchema(schema, 'input');
  const properties = (generated.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((generated.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema: property,
  }));
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schemaRef: JsonObject) => ({ 'application/json': { schema: schemaRef } });
const error = (description: string) => ({ description, content: json(ref('Error')) });
const pathParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: true,
  schema: { type: 'string', minLength: 8, maxLength: 128 },
};
const orderNoParam = pathParam('orderNo', 'order number, e.g. XJP20261122000123');
const memberIdParam = pathParam('memberId', 'must equal the member token’s sub');
const unauthenticated = error(
  'missing or unknown X-Api-Key, or (member routes) a missing, expired, forged or (mutations) already used member token',
);
const tooMany = error('rate limit of this API key reached; retry after Retry-After seconds');
/** The platform acting for nobody in particular (catalogue, this document). */
const apiKeyOnly = [{ ApiKey: [] }];
/** The platform acting for the token's member: both credentials at once (one requirement object). */
const member = [{ ApiKey: [], MemberToken: [] }];
// The purchase answers are built in purchase-routes.ts/purchase-view.ts without a zod schema yet.
const purchaseAnswer = { description: 'the order', content: json({ type: 'object' }) };

function paths(): JsonObject {
  return {
    '/v1/products': {
      get: {
        summary: 'XJP products, paged (from XJP, cached up to 30 s)',
        security: apiKeyOnly,
        parameters: queryParameters(productListQuerySchema),
        responses: {
          200: { description: 'one page', content: json(ref('ProductPage')) },
          400: error('bad page or size'),
          401: unauthenticated,
          503: error('XJP unavailable'),
        },
      },
    },
    '/v1/products/home': {
      get: {
        summary:
          'the home page: XJP’s home-page products (cached up to 30 s) less those the platform hides, hot ones first',
        security: apiKeyOnly,
        responses: {
          200: { description: 'the home page’s products', content: json(ref('HomeProducts')) },
          401: unauthenticated,
          503: error('XJP unavailable'),
        },
      },
    },
    '/v1/products/{idOrCode}': {
      get: {
        summary: 'one XJP product by id or code',
        security: apiKeyOnly,
        parameters: [pathParam('idOrCode', 'product id (XJP-P-0002) or code (XJP90D2611)')],
        responses: {
          200: { description: 'the product', content: json(ref('Product')) },
          401: unauthenticated,
          404: error('no such product'),
          503: error('XJP unavailable'),
        },
      },
    },
    '/v1/purchases': {
      post: {
        summary:
          'buy for the token’s member (body memberId must equal sub, else 404): one purchase per member and Idempotency-Key',
        security: member,
        parameters: [idempotencyKey],
        requestBody: { required: true, content: json(ref('PurchaseRequest')) },
        responses: {
          200: purchaseAnswer,
          201: purchaseAnswer,
          202: purchaseAnswer,
          400: error('invalid request'),
          401: unauthenticated,
          404: error('body memberId is not the token’s member'),
          422: error('refused (product, amount, idempotency key reused)'),
          429: tooMany,
          503: error('XJP unavailable'),
        },
      },
    },
    '/v1/purchases/{orderNo}': {
      get: {
        summary: 'one of the token member’s orders',
        security: member,
        parameters: [orderNoParam],
        responses: { 200: purchaseAnswer, 401: unauthenticated, 404: error('no such order (or another member’s)') },
      },
    },
    '/v1/purchases/{orderNo}/cancel': {
      post: {
        summary: 'cancel an unpaid order of the token’s member',
        security: member,
        parameters: [orderNoParam],
        responses: {
          200: { description: 'cancelled (status CANCELLED)' },
          401: unauthenticated,
          404: error('no such order (or another member’s)'),
          409: error('wrong state'),
          429: tooMany,
        },
      },
    },
    '/v1/purchases/{orderNo}/withdraw': {
      post: {
        summary: 'withdraw a matured order of the token’s member held for withdrawal',
        security: member,
        parameters: [orderNoParam],
        responses: {
          200: { description: 'the payout has started (status MATURED, awaiting PAYOUT); GET follows it to COMPLETED' },
          401: unauthenticated,
          404: error('no such order (or another member’s)'),
          409: error('wrong state'),
          429: tooMany,
        },
      },
    },
    '/v1/purchases/{orderNo}/early-redemption/quote': {
      post: {
        summary:
          'quote an early redemption (违约赎回) of an accruing order today: principal, interest kept, penalty, service fee, amount paid out; valid until validUntil (minutes)',
        security: member,
        parameters: [orderNoParam],
        responses: {
          200: {
            description:
              'the quote (quoteId, validUntil, principalFen, interestKeptFen, penaltyFen, serviceFeeFen, payoutFen, …)',
          },
          401: unauthenticated,
          404: error('no such order (or another member’s)'),
          409: error('WRONG_STATE (not accruing, or at maturity) or IN_LOCK_IN'),
          422: error('EARLY_REDEMPTION_NOT_ALLOWED: the product is held to maturity'),
          429: tooMany,
        },
      },
    },
    '/v1/purchases/{orderNo}/maturity-instruction': {
      put: {
        summary:
          'choose what maturity does (续投): PAYOUT, REINVEST_PRINCIPAL (interest paid out) or REINVEST_ALL, into the same product or productId',
        security: member,
        parameters: [orderNoParam],
        requestBody: {
          required: true,
          content: json(jsonSchema(maturityInstructionSchema, 'input')),
        },
        responses: {
          200: { description: 'the instruction the order now carries (orderNo, status, maturityInstruction)' },
          400: error('invalid body (field-level messages)'),
          401: unauthenticated,
          404: error('no such order (or another member’s)'),
          409: error('WRONG_STATE: matured or ended'),
          422: error('PRODUCT_NOT_FOUND or PRODUCT_NOT_ON_SALE: the product named cannot be reinvested in'),
          429: tooMany,
        },
      },
    },
    '/v1/purchases/{orderNo}/early-redemption': {
      post: {
        summary: 'confirm a quote: XJP redeems the order as of today, the ledger is corrected and the payout starts',
        security: member,
        parameters: [orderNoParam],
        requestBody: {
          required: true,
          content: json({ type: 'object', required: ['quoteId'], properties: { quoteId: { type: 'string' } } }),
        },
        responses: {
          200: {
            description:
              'redeemed (status MATURED, awaiting PAYOUT) with the figures paid; GET follows it to COMPLETED',
          },
          400: error('invalid body (field-level messages)'),
          401: unauthenticated,
          404: error('no such order (or another member’s)'),
          409: error('WRONG_STATE, IN_LOCK_IN or QUOTE_EXPIRED'),
          422: error(
            'EARLY_REDEMPTION_NOT_ALLOWED, QUOTE_UNKNOWN, or PARTNER_REFUSED (XJP refused; its code in the message)',
          ),
          429: tooMany,
        },
      },
    },
    '/v1/purchases/{orderNo}/contract': {
      get: {
        summary:
          'the investment agreement: JSON, printable HTML (Accept: text/html or format=html) or PDF (format=pdf); Chinese, or English with lang=en',
        security: member,
        parameters: [orderNoParam, ...queryParameters(documentQuerySchema)],
        responses: {
          200: {
            description: 'the contract',
            content: {
              ...json(ref('Contract')),
              'text/html': { schema: { type: 'string' } },
              'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } },
            },
          },
          401: unauthenticated,
          404: error('no such order (or another member’s)'),
          409: error('terms not yet confirmed by XJP'),
        },
      },
    },
    '/v1/members/{memberId}/holdings': {
      get: {
        summary: 'held orders with accrued and expected interest, and totals (integer fen)',
        security: member,
        parameters: [memberIdParam],
        responses: {
          200: { description: 'holdings', content: json(ref('Holdings')) },
          401: unauthenticated,
          404: error('not the token’s member'),
        },
      },
    },
    '/v1/members/{memberId}/orders': {
      get: {
        summary:
          'every order of the member, held and ended, newest first: filter by status group, product and order date; page with nextCursor',
        security: member,
        parameters: [memberIdParam, ...queryParameters(orderHistoryQuerySchema)],
        responses: {
          200: { description: 'one page of orders', content: json(ref('OrderHistory')) },
          400: error('bad filter, size or cursor'),
          401: unauthenticated,
          404: error('not the token’s member'),
        },
      },
    },
    '/v1/members/{memberId}/income': {
      get: {
        summary: 'daily income from the interest ledger, per order, between two dates (inclusive, at most 366 days)',
        security: member,
        parameters: [memberIdParam, ...queryParameters(incomeQuerySchema)],
        responses: {
          200: { description: 'income history', content: json(ref('IncomeHistory')) },
          400: error('bad dates or range'),
          401: unauthenticated,
          404: error('not the token’s member'),
        },
      },
    },
    '/v1/members/{memberId}/statements/{month}': {
      get: {
        summary:
          'the monthly statement (holdings, income by day, payouts): JSON, printable HTML or PDF, like the agreement',
        security: member,
        parameters: [
          memberIdParam,
          {
            name: 'month',
            in: 'path',
            required: true,
            schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' },
          },
          ...queryParameters(documentQuerySchema),
        ],
        responses: {
          200: {
            description: 'the statement',
            content: {
              ...json(ref('Statement')),
              'text/html': { schema: { type: 'string' } },
              'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } },
            },
          },
          400: error('not a month, or a month still to come'),
          401: unauthenticated,
          404: error('not the signed member'),
        },
      },
    },
    '/v1/demand/subscriptions': {
      post: {
        summary:
          'money into the token member’s demand holding (活期): answered once XJP has placed it, with the LianLian cashier URL to pay at and the end of the payment window; the money counts once paid, from the business day the cut-off gives the payment time; one subscription per member and Idempotency-Key',
        security: member,
        parameters: [idempotencyKey],
        requestBody: { required: true, content: json(ref('DemandSubscription')) },
        responses: {
          201: { description: 'placed, awaiting payment', content: json({ type: 'object' }) },
          400: error('invalid request'),
          401: unauthenticated,
          404: error('no such demand product'),
          409: error(
            'refused: DEMAND_NO_ACCOUNT, DEMAND_BELOW_MINIMUM, DEMAND_HOLDING_CAP_EXCEEDED, DEMAND_DUPLICATE_REQUEST (the id of a subscription already closed, after the holding continued as new)',
          ),
          429: tooMany,
        },
      },
    },
    '/v1/demand/redemptions': {
      post: {
        summary: 'money out of the token member’s demand holding: FAST (T+0, daily limit) or STANDARD (T+1)',
        security: member,
        parameters: [idempotencyKey],
        requestBody: { required: true, content: json(ref('DemandRedemption')) },
        responses: {
          201: {
            description:
              'settled to the platform (FAST) or accepted (STANDARD); the member’s card is paid through LianLian 代付 on the pay date',
            content: json({ type: 'object' }),
          },
          400: error('invalid request'),
          401: unauthenticated,
          409: error('refused: DEMAND_INSUFFICIENT_UNITS, DEMAND_FAST_LIMIT_EXCEEDED, DEMAND_NO_HOLDING'),
          429: tooMany,
        },
      },
    },
    '/v1/demand/holdings/{productCode}': {
      get: {
        summary:
          'the token member’s demand holding: units, available, the latest day’s income, Σ income, the 7-day yield and the last 30 days',
        security: member,
        parameters: [pathParam('productCode', 'a demand product code, e.g. XJPHQ01')],
        responses: {
          200: { description: 'the holding', content: json({ type: 'object' }) },
          401: unauthenticated,
          404: error('no holding of this product'),
        },
      },
    },
    '/v1/openapi.json': {
      get: {
        summary: 'this document',
        security: apiKeyOnly,
        responses: { 200: { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } },
      },
    },
  };
}

function build(): JsonObject {
  const header = (name: string, description: string) => ({ type: 'apiKey', in: 'header', name, description });
  const memberToken = {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'Authorization: Bearer <JWT> minted by the platform’s backend for the logged-in member: sub = member id, aud = MEMBER_TOKEN_AUDIENCE, iat and exp at most 300 s apart, kid naming a key of MEMBER_TOKEN_KEYS (HS256, RS256 or ES256), jti required on purchases, cancel, withdraw and early redemption and usable once.',
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'XJP order engine',
      version: '1.0.0',
      description:
        'The platform backend’s API: XJP products, purchases and the investor centre. Money is integer fen; rates are exact decimal strings.',
    },
    paths: paths(),
    components: {
      securitySchemes: {
        ApiKey: header('X-Api-Key', 'the platform backend’s key: who calls; alone it acts for no member'),
        MemberToken: memberToken,
      },
      schemas: {
        PurchaseRequest: jsonSchema(purchaseRequestSchema, 'input'),
        DemandSubscription: jsonSchema(demandSubscribeSchema, 'input'),
        DemandRedemption: jsonSchema(demandRedeemSchema, 'input'),
        Product: jsonSchema(productSchema, 'output'),
        ProductPage: jsonSchema(productPageSchema, 'output'),
        HomeProducts: jsonSchema(homeProductsSchema, 'output'),
        Holdings: jsonSchema(holdingsSchema, 'output'),
        OrderHistory: jsonSchema(orderHistorySchema, 'output'),
        IncomeHistory: jsonSchema(incomeHistorySchema, 'output'),
        Contract: jsonSchema(contractSchema, 'output'),
        Statement: jsonSchema(statementSchema, 'output'),
        Error: jsonSchema(errorSchema, 'output'),
      },
    },
  };
}

let cached: JsonObject | undefined;

/** The document (built once; the schemas are fixed at start-up). */
export function openApiDocument(): JsonObject {
  cached ??= build();
  return cached;
}
