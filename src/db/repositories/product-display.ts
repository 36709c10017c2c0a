import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type ProductDisplay,
  type ProductDisplayChange,
  ProductDisplayChangeSchema,
  ProductDisplaySchema,
} from '../entities/product-display';
import { newId } from '../ids';

/** What an operator sets on one product. */
export interface DisplaySettingInput {
  productId: string;
  hot: boolean;
  hidden: boolean;
  operator: string;
  at: Date;
}

/**
 * Sets a product's display settings and appends the change to the trail, in one transaction under
 * the row's lock, so concurrent changes each record the settings they replaced. Setting what is
 * already set writes no change row.
 */
export async function setProductDisplay(
  em: EntityManager,
  input: DisplaySettingInput,
): Promise<{ display: ProductDisplay; changed: boolean }> {
  return em.transactional(async (tx) => {
    // A first setting of two concurrent requests: one inserts, the other waits on the row below.
    await tx.execute(
      `insert into product_display (product_id, hot, hidden, updated_by, updated_at) values (?, false, false, ?, ?)
       on conflict (product_id) do nothing`,
      [input.productId, input.operator, input.at],
    );
    const row = await tx.findOneOrFail(
      ProductDisplaySchema,
      { productId: input.productId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    const first = await tx.count(ProductDisplayChangeSchema, { productId: input.productId }).then((n) => n === 0);
    if (!first && row.hot === input.hot && row.hidden === input.hidden) return { display: row, changed: false };
    tx.create(ProductDisplayChangeSchema, {
      id: newId('pdc'),
      productId: input.productId,
      hot: input.hot,
      hidden: input.hidden,
      previousHot: first ? null : row.hot,
      previousHidden: first ? null : row.hidden,
      operator: input.operator,
      changedAt: input.at,
    });
    tx.assign(row, { hot: input.hot, hidden: input.hidden, updatedBy: input.operator, updatedAt: input.at });
    return { display: row, changed: true };
  });
}

/** Every product's display settings, by product id. */
export async function listProductDisplays(em: EntityManager): Promise<ProductDisplay[]> {
  return em.find(ProductDisplaySchema, {}, { orderBy: { productId: 'asc' } });
}

/** The latest changes of display settings, newest first. */
export async function listProductDisplayChanges(em: EntityManager, limit: number): Promise<ProductDisplayChange[]> {
  return em.find(ProductDisplayChangeSchema, {}, { orderBy: { changedAt: 'desc', id: 'desc' }, limit });
}
