import { chinaDate } from './dates.js';
import type { DomainEvent } from './domain-events.js';
import { yuan, formatYuan } from './money.js';
import { DEPARTMENTS, DEPARTMENT_NAMES, type Department, type EventType, type NotificationKind, STAGE_LABELS } from './vocabulary.js';

/** The event types that give notifications: the inbox's event source mapping lets only these through. */
export const INBOX_EVENT_TYPES = ['RETURNED', 'REJECTED', 'GRANTED', 'PUBLICITY_ENDED', 'OBJECTION_RESOLVED', 'PAID', 'PAYMENT_FAILED', 'TASK_OPENED'] as const satisfies readonly EventType[];
/** The event types that give enterprises a notification, hence mail (staff get their inbox only). */
export const EMAIL_EVENT_TYPES = INBOX_EVENT_TYPES.filter((type) => type !== 'TASK_OPENED');

/** Whose inbox a notification goes to: an enterprise's clerks, a department's reviewers, or one person. */
export type Recipient = { enterprise: string } | { dept: Department } | { user: string };

export interface NewNotification {
  recipient: Recipient;
  kind: NotificationKind;
  title: string;
  body: string;
  applicationId?: string;
  taskId?: string;
}

/** What the inbox needs to know besides the event: the application's owner, and why it was rejected. */
export interface NotificationContext {
  uscc: string;
  /** The reviewer's comment on the `reject` decision (REJECTED only). */
  rejectComment?: string | undefined;
}

const money = (amount: string) => `${formatYuan(yuan(amount))} 元`;
const stageName = (stage: keyof typeof STAGE_LABELS | undefined) => (stage ? `（${STAGE_LABELS[stage]}）` : '');

/**
 * The notifications one event gives, in Chinese. Events no one needs to hear about give none. Pure:
 * the inbox consumer writes what this returns, once per event and recipient.
 */
export function notificationsFor(event: DomainEvent, context: NotificationContext): NewNotification[] {
  const owner = { enterprise: context.uscc };
  const about = { applicationId: event.applicationId };
  const ref = `申请编号 ${event.applicationId}`;
  switch (event.type) {
    case 'RETURNED': {
      const due = chinaDate(new Date(event.data.revisionDueAt));
      return [{
        recipient: owner,
        kind: 'RETURNED',
        title: '申请被退回补正',
        body: `您的申请${stageName(event.data.stage)}被退回补正（${ref}）。审核意见：${event.data.comment ?? '无'}。请于 ${due} 前修改后重新提交，逾期未提交视为撤回。`,
        ...about,
      }];
    }
    case 'REJECTED':
      return [{
        recipient: owner,
        kind: 'REJECTED',
        title: '申请未予通过',
        body: `您的申请${stageName(event.data.stage)}未予通过（${ref}）。理由：${context.rejectComment ?? '见审核记录'}。`,
        ...about,
      }];
    case 'GRANTED':
      return [{
        recipient: owner,
        kind: 'APPROVED_FOR_PUBLICITY',
        title: '申请已审核通过，待公示',
        body: `您的申请已审核通过（${ref}），核定金额 ${money(event.data.amount)}${event.data.reducedFrom ? `（${event.data.reason ?? '已按就高不重复扣减'}）` : ''}。按规定将公示 5 个工作日，公示期满无异议后列入拨付批次。`,
        ...about,
      }];
    case 'PUBLICITY_ENDED':
      // An objection still open holds the award: the enterprise hears when it is resolved.
      if (event.data.held) return [];
      return [{
        recipient: owner,
        kind: 'PUBLICITY_ENDED',
        title: '公示期满，待拨付',
        body: `您的申请（${ref}）公示期满无异议，已列为待拨付，财政部门将纳入拨付批次。`,
        ...about,
      }];
    case 'OBJECTION_RESOLVED':
      if (event.data.outcome !== 'upheld') return [];
      return [{
        recipient: owner,
        kind: 'REJECTED',
        title: '公示异议成立，申请未予通过',
        body: `您的申请（${ref}）在公示期间收到异议，经核实异议成立，不予拨付。处理意见：${event.data.comment}。`,
        ...about,
      }];
    case 'PAID':
      return [{
        recipient: owner,
        kind: 'PAID',
        title: '补贴已拨付',
        body: `您的补贴 ${money(event.data.amount)} 已拨付（${ref}${event.data.reference ? `，银行流水号 ${event.data.reference}` : ''}）。`,
        ...about,
      }];
    case 'PAYMENT_FAILED':
      return [{
        recipient: owner,
        kind: 'PAYMENT_FAILED',
        title: '补贴拨付失败',
        body: `您的补贴 ${money(event.data.amount)} 拨付失败（${ref}）：${event.data.reason ?? '银行退回'}。请核对园区登记的银行账户信息，核对后将重新拨付。`,
        ...about,
      }];
    case 'TASK_OPENED': {
      const dept = event.data.dept as Department;
      if (!DEPARTMENTS.includes(dept)) throw new Error(`TASK_OPENED names no department: ${event.data.dept}`);
      return [{
        recipient: { dept },
        kind: 'TASK_OPENED',
        title: `新的审核任务：${STAGE_LABELS[event.data.stage]}`,
        body: `${DEPARTMENT_NAMES[dept]}有一项新的审核任务（${ref}），审核金额 ${money(event.data.amount)}，请于 ${chinaDate(new Date(event.data.dueAt))} 前办理。`,
        ...about,
        taskId: event.data.taskId,
      }];
    }
    default:
      return [];
  }
}

/** The inbox partitions a caller reads: an enterprise's clerks read the enterprise's; staff their own and, for reviewers, their department's. */
export function inboxesOf(principal: { role: string; sub: string; uscc?: string; dept?: Department }): Recipient[] {
  if (principal.role === 'enterprise' && principal.uscc) return [{ enterprise: principal.uscc }];
  if (principal.role === 'reviewer' && principal.dept) return [{ dept: principal.dept }, { user: principal.sub }];
  return [{ user: principal.sub }];
}
