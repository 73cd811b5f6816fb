import { toQuote } from '../domain/assessment.js';
import type { ApplicationRecord } from '../store/applications.js';
import type { TaskRecord } from '../store/tasks.js';

/** Details as shown: ID numbers are stored masked already; the person key stays internal. */
function detailsView(details: Record<string, unknown>): Record<string, unknown> {
  if (!details.person || typeof details.person !== 'object') return details;
  const { personKey: _internal, ...person } = details.person as Record<string, unknown>;
  return { ...details, person };
}

/** The contract's Application: stored fields minus internals; ID numbers are already masked in `details`. */
export function applicationView(a: ApplicationRecord) {
  return {
    id: a.id,
    programId: a.programId,
    uscc: a.uscc,
    status: a.status,
    ...(a.stage ? { stage: a.stage } : {}),
    details: detailsView(a.details),
    ...(a.assessment ? { assessment: toQuote(a.assessment) } : {}),
    ...(a.duplicateWarnings?.length ? { duplicateWarnings: a.duplicateWarnings } : {}),
    ...(a.approvedAmount ? { approvedAmount: a.approvedAmount } : {}),
    ...(a.batchId ? { batchId: a.batchId } : {}),
    ...(a.status === 'RETURNED' ? { returnComment: a.returnComment ?? '', revisionDueAt: a.revisionDueAt } : {}),
    ...(a.withdrawal ? { withdrawal: a.withdrawal } : {}),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    version: a.version,
  };
}

/** The contract's Task; the workflow token never leaves the API. */
export function taskView(t: TaskRecord, now = new Date()) {
  return {
    taskId: t.taskId,
    applicationId: t.applicationId,
    programId: t.programId,
    uscc: t.uscc,
    stage: t.stage,
    dept: t.dept,
    amount: t.amount,
    createdAt: t.createdAt,
    dueAt: t.dueAt,
    overdue: t.status === 'OPEN' && now.toISOString() > t.dueAt,
    ...(t.claimedBy ? { claimedBy: t.claimedBy } : {}),
    ...(t.duplicateWarnings?.length ? { duplicateWarnings: t.duplicateWarnings } : {}),
  };
}
