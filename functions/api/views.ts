import { toQuote } from '../domain/assessment.js';
import { stageDepartment } from '../domain/review.js';
import { DEPARTMENT_NAMES, REVIEW_STAGES, type ReviewStage } from '../domain/vocabulary.js';
import type { ApplicationRecord } from '../store/applications.js';
import type { ApplicationEvent } from '../store/events.js';
import type { TaskRecord } from '../store/tasks.js';
import type { Principal } from '../http/principal.js';

/**
 * Person keys (HMACs of ID numbers) stay internal: a `personKey` field is left out and a benefit key's
 * person subject (`person:<key>:…`) is shown as `person:*:…`.
 */
export function withoutPersonKeys(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/^person:[^:]+/, 'person:*');
  if (Array.isArray(value)) return value.map(withoutPersonKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'personKey').map(([key, inner]) => [key, withoutPersonKeys(inner)]));
  }
  return value;
}

/** A person's name as finance sees it: the family name only (finance pays enterprises, not people). */
const maskName = (name: unknown) => (typeof name === 'string' && name.length > 0 ? `${[...name][0]}${'*'.repeat(Math.max(1, [...name].length - 1))}` : name);

/**
 * What an application is about, so that a row in a list can be recognised: the project, platform,
 * product or team, the first contract, or the person (name masked, ID number masked).
 */
export function subjectOf(details: Record<string, unknown>): string | undefined {
  const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  const person = (details.person ?? details.founder) as Record<string, unknown> | undefined;
  if (person && typeof person === 'object') {
    const name = maskName(person.name);
    return [typeof name === 'string' ? name : undefined, text(person.idNumberMasked)].filter(Boolean).join(' ') || undefined;
  }
  const contracts = Array.isArray(details.contracts) ? (details.contracts as Record<string, unknown>[]) : [];
  const first = contracts[0];
  if (first) return `${text(first.counterparty) ?? text(first.registrationNo) ?? ''}${contracts.length > 1 ? ` 等 ${contracts.length} 份合同` : ''}` || undefined;
  return text(details.projectName) ?? text(details.platformName) ?? text(details.productName) ?? text(details.teamId);
}

/** Details as shown: ID numbers are stored masked already; person keys stay internal. */
function detailsView(details: Record<string, unknown>, viewer?: Principal): Record<string, unknown> {
  const shown = withoutPersonKeys(details) as Record<string, unknown>;
  if (viewer?.role === 'finance' && shown.person && typeof shown.person === 'object') {
    const person = shown.person as Record<string, unknown>;
    return { ...shown, person: { ...person, name: maskName(person.name) } };
  }
  return shown;
}

/** A bank account as shown to those who do not pay: the last four digits. */
export const maskAccount = (number: string) => `${'*'.repeat(Math.max(0, number.length - 4))}${number.slice(-4)}`;

/** Who acted, as an enterprise is told: a role and department, never a person's identity. */
function actorLabel(event: ApplicationEvent, application: Pick<ApplicationRecord, 'programId'>): string {
  const data: Record<string, unknown> = event.data ?? {};
  switch (event.type) {
    case 'SUBMITTED':
    case 'RESUBMITTED':
      return '申请企业';
    case 'WITHDRAWN':
      return event.actor === 'workflow' ? '系统' : '申请企业';
    case 'CLAIMED':
    case 'UNCLAIMED':
    case 'DECIDED': {
      const stage = data.stage as ReviewStage;
      const dept = REVIEW_STAGES.includes(stage) ? stageDepartment(stage, application.programId) : undefined;
      return `${dept ? DEPARTMENT_NAMES[dept] : ''}审核人员`;
    }
    case 'BATCHED':
    case 'PAID':
    case 'PAYMENT_FAILED':
      return '财务人员';
    // 公示: published and objections resolved by the program's department (an admin acts for it).
    case 'NOTICE_PUBLISHED':
    case 'OBJECTION_RESOLVED':
      return DEPARTMENT_NAMES[stageDepartment('DEPT_REVIEW', application.programId)];
    case 'OBJECTION_RECEIVED':
      return '社会公众';
    default:
      return '系统';
  }
}

/** An audit event as shown: person keys stay internal; enterprises see roles, not identities. */
export function eventView(event: ApplicationEvent, application: Pick<ApplicationRecord, 'programId'>, viewer: Principal) {
  return {
    ...event,
    actor: viewer.role === 'enterprise' ? actorLabel(event, application) : event.actor,
    ...(event.data ? { data: withoutPersonKeys(event.data) as Record<string, unknown> } : {}),
  };
}

/**
 * The contract's Application: stored fields minus internals; ID numbers are already masked in `details`.
 * Staff see a workflow call still waiting for delivery (the application then waits for the relay).
 */
export function applicationView(a: ApplicationRecord, viewer?: Principal, names?: ReadonlyMap<string, string>) {
  const enterpriseName = names?.get(a.uscc);
  const subject = subjectOf(a.details);
  return {
    id: a.id,
    programId: a.programId,
    uscc: a.uscc,
    ...(enterpriseName ? { enterpriseName } : {}),
    ...(subject ? { subject } : {}),
    status: a.status,
    ...(a.stage ? { stage: a.stage } : {}),
    details: detailsView(a.details, viewer),
    ...(a.assessment ? { assessment: withoutPersonKeys(toQuote(a.assessment)) as ReturnType<typeof toQuote> } : {}),
    ...(a.duplicateWarnings?.length ? { duplicateWarnings: a.duplicateWarnings } : {}),
    ...(a.approvedAmount ? { approvedAmount: a.approvedAmount } : {}),
    ...(a.batchId ? { batchId: a.batchId } : {}),
    ...(a.status === 'RETURNED' ? { returnComment: a.returnComment ?? '', revisionDueAt: a.revisionDueAt } : {}),
    ...(a.withdrawal ? { withdrawal: a.withdrawal } : {}),
    ...(a.documents?.length ? { documents: a.documents } : {}),
    ...(a.promises?.length ? { promises: a.promises } : {}),
    ...(a.status === 'RETURNED' && a.documentIssues?.length ? { documentIssues: a.documentIssues } : {}),
    ...(a.status === 'PAYMENT_FAILED' && a.paymentFailure ? { paymentFailure: { reason: a.paymentFailure.reason, at: a.paymentFailure.at } } : {}),
    ...(a.delivery && viewer && viewer.role !== 'enterprise' ? { delivery: { state: 'PENDING' as const, action: a.delivery.action, since: a.delivery.since } } : {}),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    version: a.version,
  };
}

/** The contract's Task; the workflow token never leaves the API. */
export function taskView(t: TaskRecord, now = new Date(), about?: { names?: ReadonlyMap<string, string>; subjects?: ReadonlyMap<string, string> }) {
  const enterpriseName = about?.names?.get(t.uscc);
  const subject = about?.subjects?.get(t.applicationId);
  return {
    taskId: t.taskId,
    applicationId: t.applicationId,
    programId: t.programId,
    uscc: t.uscc,
    ...(enterpriseName ? { enterpriseName } : {}),
    ...(subject ? { subject } : {}),
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
