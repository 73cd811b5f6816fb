import { type Yuan, ZERO, formatYuan, sumYuan, yuan } from './money.js';

export interface BatchLine {
  applicationId: string;
  uscc: string;
  programId: string;
  amount: string;
  payee: { name: string; bank: string; number: string };
}

export interface BatchTotals {
  count: number;
  total: string;
  byProgram: { programId: string; count: number; total: string }[];
}

/** Exact decimal totals of a batch, overall and per program (programs in a stable order). */
export function batchTotals(lines: readonly Pick<BatchLine, 'programId' | 'amount'>[]): BatchTotals {
  const byProgram = new Map<string, { count: number; total: Yuan }>();
  for (const line of lines) {
    const entry = byProgram.get(line.programId) ?? { count: 0, total: ZERO };
    byProgram.set(line.programId, { count: entry.count + 1, total: entry.total.plus(yuan(line.amount)) });
  }
  return {
    count: lines.length,
    total: formatYuan(sumYuan(lines.map((line) => yuan(line.amount)))),
    byProgram: [...byProgram.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([programId, { count, total }]) => ({ programId, count, total: formatYuan(total) })),
  };
}

/**
 * A program's money in a year, defined once: `approved` is approved and not in a batch (a failed
 * payment is back here), `batched` is in a batch awaiting the bank, `paid` is paid; `committed` is all
 * three, and `remaining` is the budget less what is committed.
 */
export interface BudgetUse {
  programId: string;
  year: number;
  /** The annual budget in force, if one is set. */
  budget?: string;
  approved: string;
  batched: string;
  paid: string;
  committed: string;
  remaining?: string;
}

export function budgetUse(figures: { programId: string; year: number; budget?: string | undefined; approved: Yuan; batched: Yuan; paid: Yuan }): BudgetUse {
  const committed = figures.approved.plus(figures.batched).plus(figures.paid);
  const use = {
    programId: figures.programId,
    year: figures.year,
    approved: formatYuan(figures.approved),
    batched: formatYuan(figures.batched),
    paid: formatYuan(figures.paid),
    committed: formatYuan(committed),
  };
  return figures.budget === undefined ? use : { ...use, budget: figures.budget, remaining: formatYuan(yuan(figures.budget).minus(committed)) };
}

/**
 * Budgets a new batch would exceed: for each program, what is batched or paid this year plus the new
 * batch's amount against the program's annual budget. Programs without a budget are not limited.
 */
export function budgetExcess(uses: readonly BudgetUse[], batch: BatchTotals): { programId: string; budget: string; wouldUse: string }[] {
  const excess = [];
  for (const { programId, total } of batch.byProgram) {
    const use = uses.find((u) => u.programId === programId);
    if (!use?.budget) continue;
    const wouldUse = yuan(use.batched).plus(use.paid).plus(total);
    if (wouldUse.greaterThan(yuan(use.budget))) excess.push({ programId, budget: use.budget, wouldUse: formatYuan(wouldUse) });
  }
  return excess;
}
