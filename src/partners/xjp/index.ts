/** XJP: the typed client and the shapes it returns. */
export * from './client';
export * from './schemas';
export * from './product-snapshot';
export * from './demand-client';
export * from './demand-schemas';
