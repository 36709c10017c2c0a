/**
 * The names the investor documents print for the companies that sign them, in each language. One
 * place, so the agreement, the statement and the JSON contract name them alike.
 */
export const PARTY_NAMES = {
  issuer: { zh: '小金票（XJP）', en: 'XJP (小金票)' },
  distributor: { zh: '理财平台', en: 'the Platform (理财平台)' },
} as const;
