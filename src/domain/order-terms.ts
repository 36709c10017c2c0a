import type { Term } from './term';

/** The product's terms frozen at order time; the ledger is computed from these alone. */
export interface OrderTerms {
  productId: string;
  productCode: string;
  productName: string;
  annualRate: string;
  term: Term;
  dayCountBasis: 360 | 365;
  interestStartRule: string;
  payoutMode: 'AUTO' | 'ON_WITHDRAWAL';
}
