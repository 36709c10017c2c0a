import type { TLSConfig } from '@temporalio/client';
import type { Config } from '../config/config';

/** What both the client's Connection and the worker's NativeConnection take to reach Temporal. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | true;
  apiKey?: string;
}

type ConnectionConfig = Pick<
  Config,
  | 'TEMPORAL_ADDRESS'
  | 'TEMPORAL_TLS'
  | 'TEMPORAL_TLS_CERT'
  | 'TEMPORAL_TLS_KEY'
  | 'TEMPORAL_TLS_CA'
  | 'TEMPORAL_TLS_SERVER_NAME'
  | 'TEMPORAL_API_KEY'
>;

/**
 * The connection options the configuration asks for: plain TCP by default (a local cluster), TLS as
 * soon as a certificate, a CA, a server name, an API key (Temporal Cloud) or TEMPORAL_TLS asks for it,
 * and mTLS with a client certificate pair. One builder, so the API and the worker cannot disagree.
 */
export function temporalConnectionOptions(config: ConnectionConfig): TemporalConnectionOptions {
  const tls: TLSConfig = {
    ...(config.TEMPORAL_TLS_SERVER_NAME === undefined ? {} : { serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME }),
    ...(config.TEMPORAL_TLS_CA === undefined ? {} : { serverRootCACertificate: Buffer.from(config.TEMPORAL_TLS_CA) }),
    ...(config.TEMPORAL_TLS_CERT === undefined || config.TEMPORAL_TLS_KEY === undefined
      ? {}
      : { clientCertPair: { crt: Buffer.from(config.TEMPORAL_TLS_CERT), key: Buffer.from(config.TEMPORAL_TLS_KEY) } }),
  };
  const wantsTls = config.TEMPORAL_TLS || config.TEMPORAL_API_KEY !== undefined || Object.keys(tls).length > 0;
  return {
    address: config.TEMPORAL_ADDRESS,
    ...(wantsTls ? { tls: Object.keys(tls).length > 0 ? tls : true } : {}),
    ...(config.TEMPORAL_API_KEY === undefined ? {} : { apiKey: config.TEMPORAL_API_KEY }),
  };
}
