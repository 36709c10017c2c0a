import { randomUUID } from 'node:crypto';

/** Table prefixes of our row ids, so an id in a log says what it identifies (`ord_…`, `pay_…`). */
export type IdPrefix =
  'uac' | 'ord' | 'evt' | 'acr' | 'lcr' | 'rdm' | 'rde' | 'pay' | 'ntf' | 'rcn' | 'rcf' | 'rfd' | 'whd' | 'wha' | 'pdc';

/** A new prefixed row id: `<prefix>_<32 hex>`. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}`;
}
