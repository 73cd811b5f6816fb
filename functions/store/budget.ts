import type { BudgetUse } from '../domain/batch.js';
import { formatYuan, sumYuan, yuan } from '../domain/money.js';
import { type ParameterTable, valueOn } from '../domain/parameters.js';
import { type ApplicationRecord, applicationsInStatus } from './applications.js';

/** The parameter that holds a program's annual budget (dated: one value from each year's 1 January). */
export const budgetParameter = (programId: string) => `budget.${programId}`;

const sum = (applications: ApplicationRecord[]) => formatYuan(sumYuan(applications.map((a) => yuan(a.approvedAmount ?? '0'))));

/**
 * Each program's money this year: committed (approved, not yet batched), batched, and paid, against
 * its annual budget when one is set.
 */
export async function budgetUses(programIds: readonly string[], year: number, table: ParameterTable): Promise<BudgetUse[]> {
  const [approved, batched, paid] = await Promise.all((['APPROVED', 'BATCHED', 'PAID'] as const).map((status) => applicationsInStatus(status)));
  const inYear = (at: string | undefined) => at?.startsWith(String(year)) ?? false;
  return programIds.map((programId) => {
    const name = budgetParameter(programId);
    const budget = table[name] ? valueOn(table, name, `${year}-12-31`).value : undefined;
    const of = (apps: ApplicationRecord[]) => apps.filter((a) => a.programId === programId);
    const use = {
      programId,
      year,
      committed: sum(of(approved!)),
      batched: sum(of(batched!).filter((a) => inYear(a.batchedAt))),
      paid: sum(of(paid!).filter((a) => inYear(a.paidAt))),
    };
    if (budget === undefined) return use;
    return { ...use, budget, remaining: formatYuan(yuan(budget).minus(use.batched).minus(use.paid)) };
  });
}
