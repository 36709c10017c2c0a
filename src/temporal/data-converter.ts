import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, type PayloadKey } from './payload-codec';

/** The failure converter module, as a path: the SDK loads it in the workflow sandbox as well. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * The one data converter of the client and the worker: failures carry their messages as encoded
 * attributes, and with payload keys every payload is encrypted (without keys, plain JSON).
 */
export function engineDataConverter(payloadKeys: readonly PayloadKey[]): DataConverter {
  return {
    failureConverterPath: FAILURE_CONVERTER_PATH,
    payloadCodecs: payloadKeys.length === 0 ? [] : [new AesGcmPayloadCodec(payloadKeys)],
  };
}
