/** LianLian: the typed payout client, the shapes it returns, and the exact yuan ↔ fen converter. */
export * from './client';
export * from './schemas';
export * from './yuan';
