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
  'APPROVED',
  'BATCHED',
  'PAID',
  'PAYMENT_FAILED',
  'WITHDRAWN',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const STATUS_LABELS = {
  SUBMITTED: '已提交',
  IN_REVIEW: '审核中',
  RETURNED: '退回补正',
  INELIGIBLE: '不符合条件',
  REJECTED: '不予通过',
  APPROVED: '已批准',
  BATCHED: '拨付中',
  PAID: '已拨付',
  PAYMENT_FAILED: '拨付失败',
  WITHDRAWN: '已撤回',
} as const satisfies Record<ApplicationStatus, string>;

/** Statuses an owner may still withdraw from (before approval). */
export const WITHDRAWABLE_STATUSES = ['SUBMITTED', 'IN_REVIEW', 'RETURNED'] as const satisfies readonly ApplicationStatus[];

/** Under review or granted: what a new application may duplicate (§5.11). */
export const LIVE_STATUSES = ['SUBMITTED', 'RETURNED', 'IN_REVIEW', 'APPROVED', 'BATCHED', 'PAID', 'PAYMENT_FAILED'] as const satisfies readonly ApplicationStatus[];

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
  DOCUMENT_VIEWED: '查阅申报材料',
} as const satisfies Record<EventType, string>;

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
  INTERNAL: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];
