import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmConfig } from './orm-config';

/**
 * Opens the ORM on `url`. Rule for every caller: take a fork per request and per activity
 * (`orm.em.fork()`), never use `orm.em` itself, so no identity map is shared between units of work.
 */
export async function openOrm(url: string, options: { debug?: boolean } = {}): Promise<MikroORM> {
  return MikroORM.init(createOrmConfig({ clientUrl: url, debug: options.debug }));
}

/** Closes the ORM's connection pool. */
export async function closeOrm(orm: MikroORM): Promise<void> {
  await orm.close(true);
}
