import { type BudgetUse, budgetUse } from '../domain/batch.js';
import { sumYuan, yuan } from '../domain/money.js';
import { type ParameterTable, valueOn } from '../domain/parameters.js';
import { type ApplicationRecord, applicationsInStatus } from './applications.js';
import type { BudgetParameter } from '../domain/parameters.js';
import type { ProgramId } from '../domain/vocabulary.js';

/** The parameter that holds a program's annual budget (dated: one value from each year's 1 January). */
export const budgetParameter = (programId: ProgramId): BudgetParameter => `budget.${programId}`;

const sum = (applications: ApplicationRecord[]) => sumYuan(applications.map((a) => yuan(a.approvedAmount ?? '0')));

/** Each program's money this year against its annual budget when one is set (the figures: `budgetUse`). */
export async function budgetUses(programIds: readonly ProgramId[], year: number, table: ParameterTable): Promise<BudgetUse[]> {
  const [approved, failed, batched, paid] = await Promise.all((['APPROVED', 'PAYMENT_FAILED', 'BATCHED', 'PAID'] as const).map((status) => applicationsInStatus(status)));
  const inYear = (at: string | undefined) => at?.startsWith(String(year)) ?? false;
  return programIds.map((programId) => {
    const name = budgetParameter(programId);
    const budget = table[name] ? valueOn(table, name, `${year}-12-31`).value : undefined;
    const of = (apps: ApplicationRecord[]) => apps.filter((a) => a.programId === programId);
    return budgetUse({
      programId,
      year,
      budget,
      // A failed payment is back with the approved awards until it is batched again.
      approved: sum([...of(approved!), ...of(failed!).filter((a) => !a.batchId)]),
      batched: sum(of(batched!).filter((a) => inYear(a.batchedAt))),
      paid: sum(of(paid!).filter((a) => inYear(a.paidAt))),
    });
  });
}
