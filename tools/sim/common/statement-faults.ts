import { z } from 'zod';

/**
 * Test-only discrepancies a simulator's daily statement can carry, armed through its admin API:
 * `drop` leaves a record out, `duplicate` lists it twice, `alter` reports another amount, status
 * and/or maturity date for it, `phantom` adds a record the engine never made. They change the statement only,
 * never the simulator's books, so the rest of the simulator behaves as before.
 */
export const statementFaultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('drop'), reference: z.string().min(1) }),
  z.object({ kind: z.literal('duplicate'), reference: z.string().min(1) }),
  z.object({
    kind: z.literal('alter'),
    reference: z.string().min(1),
    amountFen: z.int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    status: z.string().min(1).optional(),
    /** Where the statement carries interest dates (XJP): another maturity date. */
    maturityDate: z.iso.date().optional(),
  }),
  z.object({
    kind: z.literal('phantom'),
    /** The business date (`YYYY-MM-DD`, Asia/Shanghai) whose statement carries it. */
    date: z.iso.date(),
    reference: z.string().min(1),
    amountFen: z.int().positive().max(Number.MAX_SAFE_INTEGER),
    status: z.string().min(1),
    /** The statement section that carries it when a statement has more than one (XJP: `redemptions`); else the main one. */
    section: z.string().min(1).optional(),
  }),
]);
export type StatementFault = z.infer<typeof statementFaultSchema>;
export type PhantomFault = Extract<StatementFault, { kind: 'phantom' }>;

/** How a simulator reads and rebuilds one statement line. */
export interface StatementLine<R> {
  /** The section of the statement these lines make up, when not the main one (see the phantom fault). */
  section?: string;
  reference(record: R): string;
  /** The line with another amount, status and/or maturity date (any may be absent: keep the original). */
  altered(record: R, change: { amountFen?: number; status?: string; maturityDate?: string }): R;
  /** A line for a record the simulator never had. */
  phantom(fault: PhantomFault): R;
}

/** The armed statement faults of one simulator. */
export class StatementFaults {
  private faults: StatementFault[] = [];

  add(fault: StatementFault): void {
    this.faults.push(fault);
  }

  list(): StatementFault[] {
    return [...this.faults];
  }

  reset(): void {
    this.faults = [];
  }

  /** The statement of `date` as the simulator would report it, with every armed fault applied. */
  apply<R>(date: string, records: readonly R[], line: StatementLine<R>): R[] {
    const about = (record: R, kind: StatementFault['kind']) =>
      this.faults.filter((f) => f.kind === kind && f.reference === line.reference(record));
    const out: R[] = [];
    for (const record of records) {
      if (about(record, 'drop').length > 0) continue;
      let current = record;
      for (const fault of about(record, 'alter')) {
        if (fault.kind === 'alter')
          current = line.altered(current, {
            amountFen: fault.amountFen,
            status: fault.status,
            maturityDate: fault.maturityDate,
          });
      }
      out.push(current);
      if (about(record, 'duplicate').length > 0) out.push(current);
    }
    for (const fault of this.faults) {
      if (fault.kind === 'phantom' && fault.date === date && fault.section === line.section)
        out.push(line.phantom(fault));
    }
    return out;
  }
}
