import type { z } from 'zod';
import { PartnerError, malformedResponse } from '../errors';
import { postSignedJson } from '../http';
import { xjpRefusalSchema, xjpSuccessSchema } from './schemas';

/** How to reach XJP and sign for the platform. */
export interface XjpClientOptions {
  baseUrl: string;
  partnerId: string;
  platformPrivateKeyPem: string;
  timeoutMs: number;
  /** The clock for request timestamps; tests may pin it. */
  now?: () => Date;
}

/** One signed call to XJP: the answer's `data` parsed by `data`, or a {@link PartnerError}. */
export type XjpCall = <T extends z.ZodType>(
  path: string,
  fields: Record<string, unknown>,
  data: T,
) => Promise<z.infer<T>>;

/** The signed-call function every XJP client shares: envelope, refusal codes, malformed answers. */
export function xjpCaller(options: XjpClientOptions): XjpCall {
  const now = options.now ?? (() => new Date());
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  async function call<T extends z.ZodType>(
    path: string,
    fields: Record<string, unknown>,
    data: T,
  ): Promise<z.infer<T>> {
    const url = `${baseUrl}${path}`;
    const answer = await postSignedJson({
      partner: 'XJP',
      url,
      fields: { partnerId: options.partnerId, timestamp: now().toISOString(), ...fields },
      platformPrivateKeyPem: options.platformPrivateKeyPem,
      timeoutMs: options.timeoutMs,
    });
    if (answer.status >= 200 && answer.status < 300) {
      const envelope = xjpSuccessSchema.safeParse(answer.body);
      if (!envelope.success) throw malformedResponse('XJP', `${path}: ${envelope.error.message}`, answer.status);
      const parsed = data.safeParse(envelope.data.data);
      if (!parsed.success) throw malformedResponse('XJP', `${path}: ${parsed.error.message}`, answer.status);
      return parsed.data;
    }
    if (answer.status >= 400 && answer.status < 500) {
      const refusal = xjpRefusalSchema.safeParse(answer.body);
      if (!refusal.success)
        throw malformedResponse('XJP', `${path}: refusal ${answer.status} without a code`, answer.status);
      throw new PartnerError({
        partner: 'XJP',
        classification: 'FINAL',
        code: refusal.data.code,
        message: refusal.data.message ?? `${path} refused`,
        httpStatus: answer.status,
      });
    }
    throw malformedResponse('XJP', `${path}: unexpected status ${answer.status}`, answer.status);
  }
  return call;
}
