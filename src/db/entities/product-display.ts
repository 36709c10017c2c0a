import { EntitySchema } from '@mikro-orm/core';

/**
 * The platform's own display settings of one XJP product (the catalogue itself stays XJP's, never
 * stored here): `hot` marks it on the home page, `hidden` leaves it out there. A product without a
 * row shows as XJP lists it.
 */
export interface ProductDisplay {
  productId: string;
  hot: boolean;
  hidden: boolean;
  /** The operator who last changed it. */
  updatedBy: string;
  updatedAt: Date;
}

export const ProductDisplaySchema = new EntitySchema<ProductDisplay>({
  name: 'ProductDisplay',
  tableName: 'product_display',
  properties: {
    productId: { type: 'string', columnType: 'text', primary: true },
    hot: { type: 'boolean', columnType: 'boolean' },
    hidden: { type: 'boolean', columnType: 'boolean' },
    updatedBy: { type: 'string', columnType: 'text' },
    updatedAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});

/** One change of a product's display settings: who set what, from what; rows are only ever added. */
export interface ProductDisplayChange {
  id: string;
  productId: string;
  hot: boolean;
  hidden: boolean;
  /** The settings before, null for the product's first change (shown as XJP lists it). */
  previousHot: boolean | null;
  previousHidden: boolean | null;
  operator: string;
  changedAt: Date;
}

export const ProductDisplayChangeSchema = new EntitySchema<ProductDisplayChange>({
  name: 'ProductDisplayChange',
  tableName: 'product_display_change',
  indexes: [{ name: 'product_display_change_changed_at_index', properties: ['changedAt'] }],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    productId: { type: 'string', columnType: 'text' },
    hot: { type: 'boolean', columnType: 'boolean' },
    hidden: { type: 'boolean', columnType: 'boolean' },
    previousHot: { type: 'boolean', columnType: 'boolean', nullable: true },
    previousHidden: { type: 'boolean', columnType: 'boolean', nullable: true },
    operator: { type: 'string', columnType: 'text' },
    changedAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});
