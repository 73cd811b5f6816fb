/**
 * The closed vocabularies of the system, each declared once. Zod enums (`z.enum(TUPLE)`), TS types and
 * label maps derive from these tuples; the label maps use `satisfies Record<…>`, so a new value without
 * a label (or a stage without its department) does not compile. Pure: the console imports it too.
 */

export const APPLICATION_STATUSES = [
  'SUBMITTED',
  'IN_REVIEW',
  'RETURNED',
  'INELIGIBLE',
  'REJECTED',
  'AWAITING_PUBLICITY',
  'PUBLICIZING',
  'APPROVED',
  'BATCHED',
  'PAID',
  'PAYMENT_FAILED',
  'WITHDRAWN',
  // 免申即享 proposals (API.md); their transitions are in domain/lifecycle.ts.
  'PROPOSED',
  'EXPIRED',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const STATUS_LABELS = {
  SUBMITTED: '已提交',
  IN_REVIEW: '审核中',
  RETURNED: '退回补正',
  INELIGIBLE: '不符合条件',
  REJECTED: '不予通过',
  AWAITING_PUBLICITY: '待公示',
  PUBLICIZING: '公示中',
  APPROVED: '已批准',
  BATCHED: '拨付中',
  PAID: '已拨付',
  PAYMENT_FAILED: '拨付失败',
  WITHDRAWN: '已撤回',
  PROPOSED: '待确认（免申即享）',
  EXPIRED: '已过期',
} as const satisfies Record<ApplicationStatus, string>;

/** Statuses an owner may still withdraw from (before approval). */
export const WITHDRAWABLE_STATUSES = ['SUBMITTED', 'IN_REVIEW', 'RETURNED'] as const satisfies readonly ApplicationStatus[];

/** Under review or granted: what a new application may duplicate (§5.11). */
export const LIVE_STATUSES = ['SUBMITTED', 'RETURNED', 'IN_REVIEW', 'AWAITING_PUBLICITY', 'PUBLICIZING', 'APPROVED', 'BATCHED', 'PAID', 'PAYMENT_FAILED'] as const satisfies readonly ApplicationStatus[];

/** What happened to an application: the audit trail's entries. */
export const EVENT_TYPES = [
  'SUBMITTED',
  'ASSESSED',
  'TASK_OPENED',
  'DECIDED',
  'REJECTED',
  'GRANTED',
  'INELIGIBLE',
  'CLAIMED',
  'UNCLAIMED',
  'RETURNED',
  'RESUBMITTED',
  'WITHDRAWN',
  'BATCHED',
  'PAID',
  'PAYMENT_FAILED',
  // 公示 (publicity)
  'NOTICE_PUBLISHED',
  'OBJECTION_RECEIVED',
  'OBJECTION_RESOLVED',
  'PUBLICITY_ENDED',
  'DOCUMENT_VIEWED',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const EVENT_LABELS = {
  SUBMITTED: '提交申请',
  ASSESSED: '系统测算',
  TASK_OPENED: '进入审核',
  CLAIMED: '审核人员认领',
  UNCLAIMED: '审核人员释放任务',
  DECIDED: '审核意见',
  REJECTED: '不予通过',
  GRANTED: '批准并登记台账',
  INELIGIBLE: '不符合条件',
  RETURNED: '退回补正',
  RESUBMITTED: '重新提交',
  WITHDRAWN: '撤回',
  BATCHED: '列入拨付批次',
  PAID: '拨付成功',
  PAYMENT_FAILED: '拨付失败',
  NOTICE_PUBLISHED: '列入公示',
  OBJECTION_RECEIVED: '收到公示异议',
  OBJECTION_RESOLVED: '公示异议已处理',
  PUBLICITY_ENDED: '公示期满',
  DOCUMENT_VIEWED: '查阅申报材料',
} as const satisfies Record<EventType, string>;

/** 公示 (publicity): an objection's state and a department's resolution of it. */
export const OBJECTION_STATUSES = ['OPEN', 'DISMISSED', 'UPHELD'] as const;
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];
export const OBJECTION_OUTCOMES = ['dismissed', 'upheld'] as const;
export type ObjectionOutcome = (typeof OBJECTION_OUTCOMES)[number];
export const OBJECTION_STATUS_LABELS = { OPEN: '待处理', DISMISSED: '异议不成立', UPHELD: '异议成立' } as const satisfies Record<ObjectionStatus, string>;

/** A payment batch as the API shows it (CREATING is the store's own, while a batch is being written). */
export const BATCH_STATUSES = ['OPEN', 'EXPORTED', 'SETTLED'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const BATCH_STATUS_LABELS = { OPEN: '待导出', EXPORTED: '已导出，待登记结果', SETTLED: '已结清' } as const satisfies Record<BatchStatus, string>;

/** A bank's result for one item of a payment batch. */
export const PAYMENT_RESULTS = ['paid', 'failed'] as const;
export type PaymentResult = (typeof PAYMENT_RESULTS)[number];

/** The workflow calls that follow a state change (the outbox's items). */
export const WORKFLOW_CALL_ACTIONS = ['StartExecution', 'SendTaskSuccess', 'StopExecution'] as const;
export type WorkflowCallAction = (typeof WORKFLOW_CALL_ACTIONS)[number];

export const DEPARTMENTS = ['park', 'kejiju', 'renshe', 'leadership'] as const;
export type Department = (typeof DEPARTMENTS)[number];
/** The departments that own programs (科技局, 人社局). */
export const REVIEWING_DEPARTMENTS = ['kejiju', 'renshe'] as const satisfies readonly Department[];
export type ReviewingDepartment = (typeof REVIEWING_DEPARTMENTS)[number];

/** The departments' names, as people read them (the console and the audit trail shown to enterprises). */
export const DEPARTMENT_NAMES = { park: '园区', kejiju: '市科技局', renshe: '市人社局', leadership: '分管领导' } as const satisfies Record<Department, string>;

export const REVIEW_STAGES = ['PARK_PRELIM', 'DEPT_REVIEW', 'LEADERSHIP'] as const;
export type ReviewStage = (typeof REVIEW_STAGES)[number];

export const STAGE_LABELS = { PARK_PRELIM: '园区初审', DEPT_REVIEW: '主管部门审核', LEADERSHIP: '领导审签' } as const satisfies Record<ReviewStage, string>;

/** Whose reviewers decide each stage; `program` means the program's own department (科技局 or 人社局). */
export const STAGE_DEPARTMENTS = { PARK_PRELIM: 'park', DEPT_REVIEW: 'program', LEADERSHIP: 'leadership' } as const satisfies Record<ReviewStage, Department | 'program'>;

/** A review task: open until decided, or cancelled when its application is withdrawn. */
export const TASK_STATUSES = ['OPEN', 'DECIDED', 'CANCELLED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** How the workflow's Close step ends an application without a grant. */
export const CLOSE_OUTCOMES = ['REJECTED', 'REVISION_EXPIRED'] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];

export const DECISIONS = ['approve', 'reject', 'return'] as const;
export type Decision = (typeof DECISIONS)[number];

export const DECISION_LABELS = { approve: '通过', reject: '不予通过', return: '退回补正' } as const satisfies Record<Decision, string>;

/** What a benefit key or a prior grant is about (就高不重复). */
export const SUBJECT_TYPES = ['enterprise', 'person', 'platform', 'contract', 'project', 'agreement', 'team'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];
/** Subjects whose ids are unique only within their enterprise: imported with the enterprise's USCC. */
export const ENTERPRISE_SCOPED_SUBJECTS = ['agreement', 'project', 'team'] as const satisfies readonly SubjectType[];
/** Who can be on the 严重失信 list. */
export const CREDIT_SUBJECT_TYPES = ['enterprise', 'person'] as const satisfies readonly SubjectType[];
export type CreditSubjectType = (typeof CREDIT_SUBJECT_TYPES)[number];

export const PROGRAM_IDS = [
  'startup-capital',
  'platform-award',
  'tech-transaction',
  'competition-award',
  'first-of-kind',
  'talent-introduction',
  'talent-flexible-monthly',
  'entrepreneurship',
  'talent-living-allowance',
  'talent-housing',
] as const;
export type ProgramId = (typeof PROGRAM_IDS)[number];

/** The API's error codes and the HTTP status each one answers with. */
export const ERROR_STATUS = {
  VALIDATION_ERROR: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  IDEMPOTENCY_MISMATCH: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  // The gateway's own answers, before any function runs (infra/local/gateway.ts): a path it cannot
  // decode, and a local sign-in addressed to another host name.
  BAD_REQUEST: 400,
  MISDIRECTED_REQUEST: 421,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

// ---- The in-app inbox (API.md "Notifications") ----------------------------------------------------

/** What a notification is about; produced by the inbox consumer from the event stream. */
export const NOTIFICATION_KINDS = [
  'RETURNED',
  'REJECTED',
  'APPROVED_FOR_PUBLICITY',
  'PUBLICITY_ENDED',
  'PAID',
  'PAYMENT_FAILED',
  'RETURN_DEADLINE_SOON',
  'TASK_OPENED',
  'TASKS_DUE',
  'TASK_OVERDUE_ESCALATED',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_KIND_LABELS = {
  RETURNED: '退回补正',
  REJECTED: '不予通过',
  APPROVED_FOR_PUBLICITY: '审核通过，待公示',
  PUBLICITY_ENDED: '公示结束',
  PAID: '已拨付',
  PAYMENT_FAILED: '拨付失败',
  RETURN_DEADLINE_SOON: '补正期限将至',
  TASK_OPENED: '新的审核任务',
  TASKS_DUE: '今日到期任务',
  TASK_OVERDUE_ESCALATED: '任务超期提醒',
} as const satisfies Record<NotificationKind, string>;
