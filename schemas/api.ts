import { z } from 'zod';
import { FreeText, Identifier, IsoDate, Money, ResidentId, Text, Ulid, Uscc } from './common.js';
import { ApplicationSubmission, QuoteRequest } from './programs.js';
import { DOCUMENT_CONTENT_TYPES, DOCUMENT_STATUSES, DOC_TYPES, MAX_DOCUMENT_BYTES } from '../functions/domain/documents.js';
import { DEFAULT_PARAMETERS } from '../functions/domain/parameter-defaults.js';
import { GRANT_LEVELS } from '../functions/domain/benefit-ledger.js';
import { normaliseId } from '../functions/domain/identifiers.js';
import {
  APPLICATION_STATUSES,
  BATCH_STATUSES,
  CREDIT_SUBJECT_TYPES,
  DECISIONS,
  DEPARTMENTS,
  ENTERPRISE_SCOPED_SUBJECTS,
  ERROR_CODES,
  NOTIFICATION_KINDS,
  PAYMENT_RESULTS,
  PROGRAM_IDS,
  REVIEWING_DEPARTMENTS,
  OBJECTION_OUTCOMES,
  OBJECTION_STATUSES,
  REVIEW_STAGES,
  SUBJECT_TYPES,
  WORKFLOW_CALL_ACTIONS,
} from '../functions/domain/vocabulary.js';

export const ROLES = ['enterprise', 'reviewer', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

// ---- shared shapes -------------------------------------------------------------------------------

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });

const PageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  nextToken: z.string().max(2048).optional(),
};
const page = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), nextToken: z.string().optional() }).meta({ id });

export const Reason = z.object({ code: z.string(), message: z.string() });

export const Quote = z
  .object({
    programId: z.enum(PROGRAM_IDS),
    eligible: z.boolean(),
    amount: Money,
    currency: z.literal('CNY'),
    lines: z.array(z.object({ label: z.string(), basis: z.string(), amount: z.string(), measure: z.string() })),
    priorGrants: z.array(z.object({ benefitKey: z.string(), amount: Money, policy: z.string(), explanation: z.string().optional().meta({ description: 'in words: what the grant covered and what it does to this award' }) })),
    reasons: z.array(Reason),
  })
  .meta({ id: 'Quote' });

export const DuplicateWarning = z
  .object({
    applicationId: Ulid,
    similarity: z.number().min(0).max(1),
    reason: z.string(),
  })
  .meta({ id: 'DuplicateWarning', description: 'another application in review or granted whose subject looks the same (same normalised name or number, or names ≥ 80 % similar)' });

export const Application = z
  .object({
    id: Ulid,
    programId: z.enum(PROGRAM_IDS),
    uscc: Uscc,
    // Who and what a row is about (issue 16): the roster name beside the USCC; the project or person (masked).
    enterpriseName: z.string().optional().meta({ description: 'the enterprise’s name on the park roster' }),
    subject: z.string().optional().meta({ description: 'what the application is about: project, platform, product, team, contract, or person (masked)' }),
    status: z.enum(APPLICATION_STATUSES),
    stage: z.enum(REVIEW_STAGES).optional(),
    details: z.record(z.string(), z.unknown()).meta({ description: 'as submitted; resident ID numbers masked' }),
    assessment: Quote.optional(),
    approvedAmount: Money.optional(),
    batchId: z.string().optional(),
    returnComment: z.string().optional().meta({ description: 'while RETURNED: what the reviewer asks to fix' }),
    revisionDueAt: z.iso.datetime().optional().meta({ description: 'while RETURNED: the deadline to resubmit' }),
    withdrawal: z.object({ by: z.string(), reason: z.string(), at: z.iso.datetime() }).optional(),
    paymentFailure: z
      .object({ reason: z.string(), at: z.string() })
      .optional()
      .meta({ description: 'while PAYMENT_FAILED: the bank’s reason; the award is back in the pool for the next batch' }),
    delivery: z
      .object({ state: z.literal('PENDING'), action: z.enum(WORKFLOW_CALL_ACTIONS), since: z.iso.datetime() })
      .optional()
      .meta({ description: 'staff only: a workflow call that follows the last change and has not reached the workflow yet (the outbox relay retries it)' }),
    duplicateWarnings: z.array(DuplicateWarning).optional(),
    documents: z.array(z.object({ docType: z.string(), documentId: Ulid })).optional().meta({ description: '申报材料 submitted (GET /documents/{id})' }),
    promises: z.array(z.string()).optional().meta({ description: 'docTypes promised instead of uploaded (告知承诺), sampled for 事后核查' }),
    documentIssues: z.array(z.object({ docType: z.string(), comment: z.string() })).optional().meta({ description: 'while RETURNED: documents the reviewer asks to replace' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.int(),
  })
  .meta({ id: 'Application' });

export const ApplicationEvent = z
  .object({
    applicationId: Ulid,
    type: z.string().meta({ example: 'SUBMITTED' }),
    at: z.iso.datetime(),
    actor: z.string().meta({ description: 'staff: sub of the person, or "workflow"; enterprises: a role and department (市科技局审核人员), never an identity' }),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'ApplicationEvent' });

export const Task = z
  .object({
    taskId: z.string(),
    applicationId: Ulid,
    programId: z.enum(PROGRAM_IDS),
    uscc: Uscc,
    // Who and what a row is about (issue 16): the roster name beside the USCC; the project or person (masked).
    enterpriseName: z.string().optional().meta({ description: 'the enterprise’s name on the park roster' }),
    subject: z.string().optional().meta({ description: 'what the application is about: project, platform, product, team, contract, or person (masked)' }),
    stage: z.enum(REVIEW_STAGES),
    dept: z.enum(DEPARTMENTS),
    amount: Money,
    createdAt: z.iso.datetime(),
    dueAt: z.iso.datetime(),
    overdue: z.boolean(),
    claimedBy: z.string().optional(),
    duplicateWarnings: z.array(DuplicateWarning).optional().meta({ description: 'approving needs a comment while there are any' }),
  })
  .meta({ id: 'Task' });

/** Which notification kinds an enterprise gets by email: all but `emailOff` (the inbox gets every one). */
export const NotificationPreferences = z
  .strictObject({
    emailOff: z
      .array(z.enum(NOTIFICATION_KINDS))
      .max(NOTIFICATION_KINDS.length)
      .refine((kinds) => new Set(kinds).size === kinds.length, { error: '通知类型不能重复' }),
  })
  .meta({ id: 'NotificationPreferences' });
export const NotificationPreferencesView = NotificationPreferences.extend({ updatedAt: z.iso.datetime().optional() }).meta({ id: 'NotificationPreferencesView' });

export const RegistryEntry = z
  .strictObject({
    name: Text(200),
    joinedOn: IsoDate,
    bankAccount: z.strictObject({
      name: Text(200),
      bank: Text(200),
      number: z.string().regex(/^\d{8,32}$/, { error: '银行账号应为8至32位数字' }),
    }),
    contactEmail: z.email({ error: '联系邮箱格式不正确' }).max(254).optional().meta({ description: 'where notification mail goes' }),
  })
  .meta({ id: 'RegistryEntry' });

/** A roster entry as read back: the account number is masked to its last four digits for everyone but admin. */
export const RegistryEntryView = RegistryEntry.extend({
  uscc: Uscc,
  updatedAt: z.iso.datetime(),
  bankAccount: RegistryEntry.shape.bankAccount.extend({
    number: z.string().regex(/^\*{0,28}\d{4,32}$/).meta({ description: 'masked (*…1234) except for admin' }),
  }),
}).meta({ id: 'RegistryEntryView' });

export const Decision = z
  .strictObject({
    decision: z.enum(DECISIONS),
    comment: FreeText.max(2000).transform((value) => value.normalize('NFC')).optional(),
    approvedAmount: Money.optional(),
    documentIssues: z
      .array(z.strictObject({ docType: z.enum(DOC_TYPES), comment: Text(500) }))
      .min(1)
      .max(20)
      .optional()
      .meta({ description: 'return only: documents the enterprise must replace on resubmission' }),
  })
  .superRefine((body, ctx) => {
    if (body.documentIssues && body.decision !== 'return') ctx.addIssue({ code: 'custom', path: ['documentIssues'], message: '只有退回补正时才能指出材料问题' });
    if (body.decision !== 'approve' && !body.comment?.trim())
      ctx.addIssue({ code: 'custom', path: ['comment'], message: '退回或不予通过须填写意见' });
    if (body.decision !== 'approve' && body.approvedAmount !== undefined)
      ctx.addIssue({ code: 'custom', path: ['approvedAmount'], message: '只有通过时才能核定金额' });
  })
  .meta({ id: 'Decision' });

export const DatedParameter = z
  .object({ name: z.string(), from: IsoDate, value: z.string(), source: z.string() })
  .meta({ id: 'DatedParameter', description: 'A parameter value in force from a date, with its source (measure, "default", or who set it)' });

export const ProgramInfo = z
  .object({
    programId: z.enum(PROGRAM_IDS),
    title: z.string(),
    measures: z.array(z.string()),
    provisions: z
      .array(z.object({ article: z.int(), citation: z.string(), text: z.string() }))
      .meta({ description: 'the articles (条) the program pays under, as enacted' }),
    department: z.enum(REVIEWING_DEPARTMENTS),
    parameters: z.array(
      DatedParameter.extend({
        unit: z.string().meta({ description: '元, 元/月, 比例 (0.5 = 50%), 年, 个月, 工作日, 天, 日期, 开关' }),
        description: z.string(),
        law: z.object({ citation: z.string(), quote: z.string() }).optional().meta({ description: 'the article and the sentence that fixes the figure (or the range a default lies in)' }),
      }),
    ),
    documents: z
      .array(z.object({ docType: z.string(), title: z.string(), required: z.boolean(), promiseAllowed: z.boolean(), proves: z.string() }))
      .meta({ description: '申报材料 (POLICY.md §5.13): required ones are uploaded, or promised where promiseAllowed' }),
    budget: z
      .object({
        year: z.int(),
        budget: Money.optional(),
        approved: Money.meta({ description: 'approved, not in a batch (a failed payment is back here)' }),
        batched: Money.meta({ description: 'in a batch, awaiting the bank' }),
        paid: Money,
        committed: Money.meta({ description: 'approved + batched + paid' }),
        // Negative once an officer has batched past the budget with a reason (allowOverBudget).
        remaining: z
          .string()
          .regex(/^-?\d{1,13}(\.\d{1,2})?$/)
          .optional()
          .meta({ description: 'budget − committed (yuan; negative when over budget)' }),
      })
      .optional()
      .meta({ description: 'staff only: this year’s money against the program’s annual budget (budget.<programId>)' }),
  })
  .meta({ id: 'Program' });

/** Shipped parameters, plus each program's annual budget (`budget.<programId>`, set by administrators). */
const PARAMETER_NAMES = [...Object.keys(DEFAULT_PARAMETERS), ...PROGRAM_IDS.map((id) => `budget.${id}`)] as [string, ...string[]];

export const ParameterOverrideBody = z
  .strictObject({
    from: IsoDate,
    value: z.string().regex(/^(\d{1,13}(\.\d{1,6})?|\d{4}-\d{2}-\d{2})$/, { error: '取值应为十进制数或 YYYY-MM-DD 日期' }),
    reason: Text(500),
  })
  .meta({ id: 'ParameterOverride' });

export const PriorGrantImport = z
  .strictObject({
    grantId: Identifier,
    subjectType: z.enum(SUBJECT_TYPES),
    subjectId: z.string().min(1).max(200).meta({ description: 'USCC, resident ID number, the platform’s official name, the contract’s registration number (登记编号), or the enterprise’s own agreement/project/team id' }),
    uscc: Uscc.optional().meta({ description: 'the enterprise an agreement, project or team belongs to (required for those)' }),
    level: z.enum(GRANT_LEVELS, { error: '支持级别应为国家级（national）、省级（provincial）、市级（municipal）或县级（county）' }).meta({ description: 'who granted it: only municipal and county grants reduce awards (就高不重复)' }),
    category: z.string().regex(/^[a-z][a-z-]{1,40}$/, { error: '支持类别应为小写字母和连字符组成的类别代码，例如 housing-rent' }),
    period: z.string().regex(/^\d{4}(-\d{2})?$/, { error: '期间应为 YYYY 或 YYYY-MM' }).optional(),
    amount: Money,
    policy: Text(200),
    grantedOn: IsoDate,
  })
  .superRefine((grant, ctx) => {
    const check = grant.subjectType === 'person' ? ResidentId : grant.subjectType === 'enterprise' ? Uscc : grant.subjectType === 'platform' ? Text(200) : Identifier;
    const result = check.safeParse(grant.subjectId);
    if (!result.success) ctx.addIssue({ code: 'custom', path: ['subjectId'], message: result.error.issues[0]!.message });
    else if (normaliseId(grant.subjectId) === '') ctx.addIssue({ code: 'custom', path: ['subjectId'], message: '编号或名称须包含字母或数字' });
    if ((ENTERPRISE_SCOPED_SUBJECTS as readonly string[]).includes(grant.subjectType) && !grant.uscc)
      ctx.addIssue({ code: 'custom', path: ['uscc'], message: '协议、项目、团队的编号只在本企业内唯一，须填写所属企业的统一社会信用代码' });
  });

export const CreditEntry = z
  .strictObject({
    subjectType: z.enum(CREDIT_SUBJECT_TYPES),
    subjectId: z.string(),
    listedOn: IsoDate,
    liftedOn: IsoDate.optional().meta({ description: 'lifted from this day on' }),
    validUntil: IsoDate.optional().meta({ description: 'last day the listing applies' }),
    reason: Text(500),
    lifted: z.boolean().optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.liftedOn && entry.liftedOn < entry.listedOn) ctx.addIssue({ code: 'custom', path: ['liftedOn'], message: '移出日期不能早于列入日期' });
    if (entry.validUntil && entry.validUntil < entry.listedOn) ctx.addIssue({ code: 'custom', path: ['validUntil'], message: '有效期至不能早于列入日期' });
    const result = (entry.subjectType === 'person' ? ResidentId : Uscc).safeParse(entry.subjectId);
    if (!result.success) ctx.addIssue({ code: 'custom', path: ['subjectId'], message: result.error.issues[0]!.message });
  });

export const Batch = z
  .object({
    batchId: Ulid,
    status: z.enum(BATCH_STATUSES),
    count: z.int(),
    total: Money,
    byProgram: z.array(z.object({ programId: z.enum(PROGRAM_IDS), count: z.int(), total: Money })),
    items: z.array(
      z.object({
        applicationId: Ulid,
        uscc: Uscc,
        enterpriseName: z.string().optional(),
        payee: z.object({ name: z.string(), bank: z.string(), number: z.string() }),
        programId: z.enum(PROGRAM_IDS),
        amount: Money,
        result: z.object({ status: z.enum(PAYMENT_RESULTS), reference: z.string().optional(), reason: z.string().optional(), at: z.string() }).optional(),
      }),
    ),
    nextToken: z.string().optional().meta({ description: 'more items: GET /batches/{id}?nextToken=…' }),
    createdAt: z.iso.datetime(),
    createdBy: z.string(),
    overBudget: z.object({ reason: z.string(), excess: z.array(z.object({ programId: z.string(), budget: Money, wouldUse: Money })) }).optional(),
    creditHeld: z
      .array(z.object({ applicationId: Ulid, uscc: Uscc, programId: z.enum(PROGRAM_IDS), amount: Money, reason: z.string() }))
      .optional()
      .meta({ description: 'approved awards left out of this batch because their enterprise or person is listed 严重失信 (checked when the batch is made)' }),
    exports: z.record(z.string(), z.object({ sha256: z.string(), bytes: z.int(), at: z.string(), by: z.string() })).optional(),
  })
  .meta({ id: 'Batch' });

const BatchId = z.object({ id: Ulid });

// ---- supporting documents (申报材料) ---------------------------------------------------------------

export const DocumentUploadRequest = z
  .strictObject({
    docType: z.enum(DOC_TYPES),
    fileName: Text(200).refine((name) => !/[\\/\u0000-\u001f]/.test(name), { error: '文件名不能含路径或控制字符' }),
    contentType: z.enum(DOCUMENT_CONTENT_TYPES, { error: '仅接受 PDF、OFD、JPEG、PNG' }),
    size: z.int().min(1).max(MAX_DOCUMENT_BYTES, { error: '文件不能超过 20 MiB' }),
    sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, { error: 'sha256 应为64位十六进制' }),
  })
  .meta({ id: 'DocumentUploadRequest' });

export const DocumentView = z
  .object({
    documentId: Ulid,
    docType: z.string(),
    fileName: z.string(),
    contentType: z.string(),
    size: z.int(),
    sha256: z.string(),
    status: z.enum(DOCUMENT_STATUSES),
    reason: z.string().optional().meta({ description: 'REJECTED: why' }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Document' });

// ---- endpoints -----------------------------------------------------------------------------------

export interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway path syntax: /applications/{id} */
  path: string;
  summary: string;
  /** Who may call it; `public` needs no token. */
  roles: readonly Role[] | 'public';
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
  responses: Readonly<Record<number, { description: string; schema?: z.ZodType }>>;
}

const ApplicationId = z.object({ id: Ulid });

export const Notification = z
  .object({
    notificationId: Ulid,
    kind: z.enum(NOTIFICATION_KINDS),
    title: z.string(),
    body: z.string(),
    applicationId: Ulid.optional(),
    taskId: z.string().optional(),
    createdAt: z.iso.datetime(),
    readAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'Notification' });
export const NotificationPage = page(Notification, 'NotificationPage');
const NotificationId = z.object({ id: Ulid });
const TaskId = z.object({ taskId: z.string().regex(/^[0-9a-f]{32}$/, { error: '无效的任务编号' }) });

// ---- 公示 (publicity) and objections ----------------------------------------------------------------

const NoticeItem = z.object({
  itemNo: z.int().positive(),
  applicationId: Ulid,
  enterpriseName: z.string(),
  programTitle: z.string(),
  measure: z.string(),
  amount: Money,
  personName: z.string().optional().meta({ description: 'masked: the first character, then *' }),
});
export const Notice = z
  .object({
    noticeId: Ulid,
    title: z.string(),
    startsOn: IsoDate.meta({ description: 'the first working day after publication' }),
    endsOn: IsoDate.meta({ description: 'the last working day; objections close at its end (24:00 Asia/Shanghai)' }),
    workingDays: z.int().positive(),
    items: z.array(NoticeItem),
  })
  .meta({ id: 'Notice' });
/** What anyone may read: no application ids. */
export const PublicNotice = Notice.extend({ items: z.array(NoticeItem.omit({ applicationId: true })) }).meta({ id: 'PublicNotice' });
export const Objection = z
  .object({
    objectionId: Ulid,
    noticeId: Ulid,
    itemNo: z.int().positive(),
    applicationId: Ulid,
    item: NoticeItem,
    name: z.string(),
    contact: z.string(),
    reason: z.string(),
    status: z.enum(OBJECTION_STATUSES),
    createdAt: z.iso.datetime(),
    resolution: z.object({ outcome: z.enum(OBJECTION_OUTCOMES), comment: z.string(), by: z.string(), at: z.iso.datetime() }).optional(),
  })
  .meta({ id: 'Objection' });
const NoticeId = z.object({ noticeId: Ulid });
const ObjectionId = z.object({ id: Ulid });

export const PUBLICITY_ENDPOINTS = {
  publishNotice: {
    method: 'POST',
    path: '/publicity',
    summary: "公示: publishes a notice of every award awaiting publicity (of the caller's department and these programs)",
    roles: ['reviewer', 'admin'],
    body: z.strictObject({ title: Text(200), programIds: z.array(z.enum(PROGRAM_IDS)).min(1).optional() }),
    responses: { 201: { description: 'the notice; its awards are PUBLICIZING', schema: Notice } },
  },
  listPublicNotices: {
    method: 'GET',
    path: '/public/notices',
    summary: '公示 notices, newest first (no sign-in)',
    roles: 'public',
    query: z.object({ limit: z.coerce.number().int().min(1).max(50).default(20) }),
    responses: { 200: { description: 'newest first', schema: z.object({ items: z.array(PublicNotice) }) } },
  },
  getPublicNotice: {
    method: 'GET',
    path: '/public/notices/{noticeId}',
    summary: 'One 公示 notice (no sign-in)',
    roles: 'public',
    params: NoticeId,
    responses: { 200: { description: 'the notice', schema: PublicNotice } },
  },
  postObjection: {
    method: 'POST',
    path: '/public/notices/{noticeId}/objections',
    summary: 'An objection to one item, during the period only (no sign-in; limited per client address)',
    roles: 'public',
    params: NoticeId,
    body: z.strictObject({
      itemNo: z.int().positive(),
      name: Text(50),
      contact: Text(100).meta({ description: 'phone or email; shown only to the department' }),
      reason: FreeText.min(10, { error: '异议理由不少于10个字' }).max(2000, { error: '异议理由不超过2000个字' }),
    }),
    responses: { 202: { description: 'received', schema: z.object({ objectionId: Ulid }) } },
  },
  listObjections: {
    method: 'GET',
    path: '/objections',
    summary: "Objections to the department's awards (admin: all), newest first",
    roles: ['reviewer', 'admin'],
    responses: { 200: { description: 'newest first', schema: z.object({ items: z.array(Objection) }) } },
  },
  resolveObjection: {
    method: 'POST',
    path: '/objections/{id}/resolution',
    summary: 'Dismissed: the award goes on. Upheld: REJECTED and its ledger reservation released',
    roles: ['reviewer', 'admin'],
    params: ObjectionId,
    body: z.strictObject({ outcome: z.enum(OBJECTION_OUTCOMES), comment: Text(2000) }),
    responses: { 200: { description: 'resolved', schema: Objection } },
  },
} as const satisfies Record<string, Endpoint>;

export const ENDPOINTS = {
  health: {
    method: 'GET',
    path: '/health',
    summary: 'Liveness: 200 once the API takes requests',
    roles: 'public',
    responses: { 200: { description: 'ready', schema: z.object({ status: z.literal('ok') }) } },
  },
  openapi: {
    method: 'GET',
    path: '/openapi.json',
    summary: 'This document',
    roles: 'public',
    responses: { 200: { description: 'OpenAPI 3.1', schema: z.looseObject({ openapi: z.string().startsWith('3.1'), paths: z.record(z.string(), z.unknown()) }) } },
  },
  listPrograms: {
    method: 'GET',
    path: '/programs',
    summary: 'Programs, their measures and the parameters in force today',
    roles: ROLES,
    responses: { 200: { description: 'every paid program', schema: z.object({ items: z.array(ProgramInfo) }) } },
  },
  createQuote: {
    method: 'POST',
    path: '/quotes',
    summary: '政策计算器: the amount an application would get today, with its breakdown; nothing is stored',
    roles: ROLES,
    body: QuoteRequest,
    responses: { 200: { description: 'the quote', schema: Quote } },
  },
  putParameter: {
    method: 'PUT',
    path: '/parameters/{name}',
    summary: 'Sets a policy parameter from a date on (a dated override of the shipped default)',
    roles: ['admin'],
    params: z.object({ name: z.enum(PARAMETER_NAMES, { error: '未知的参数名' }) }),
    body: ParameterOverrideBody,
    responses: { 200: { description: 'stored', schema: DatedParameter } },
  },
  importGrants: {
    method: 'POST',
    path: '/ledger/grants',
    summary: 'Imports grants made under this or other policies into the 就高不重复 ledger (idempotent per grantId)',
    roles: ['admin'],
    body: z.strictObject({ grants: z.array(PriorGrantImport).min(1).max(100) }),
    responses: {
      200: {
        description: 'per grant: imported, or already there',
        schema: z.object({ items: z.array(z.object({ grantId: z.string(), benefitKey: z.string(), status: z.enum(['imported', 'already-imported']) })) }),
      },
    },
  },
  listRegistry: {
    method: 'GET',
    path: '/registry',
    summary: 'The park roster (入驻主体名录) with payee accounts, by USCC',
    roles: ['admin'],
    query: z.object(PageQuery),
    responses: { 200: { description: 'by USCC', schema: page(RegistryEntry.extend({ uscc: Uscc, updatedAt: z.iso.datetime() }), 'RegistryPage') } },
  },
  listCreditRestrictions: {
    method: 'GET',
    path: '/credit/restrictions',
    summary: 'The 严重失信 list, newest listing first; lifted entries stay, marked; people by masked ID number',
    roles: ['admin'],
    query: z.object(PageQuery),
    responses: {
      200: {
        description: 'newest listing first',
        schema: page(
          z.object({
            subjectType: z.enum(CREDIT_SUBJECT_TYPES),
            subject: z.string().meta({ description: 'USCC, or the masked resident ID number' }),
            listedOn: IsoDate,
            liftedOn: IsoDate.optional(),
            validUntil: IsoDate.optional(),
            reason: z.string(),
            lifted: z.boolean(),
            updatedAt: z.iso.datetime(),
            updatedBy: z.string(),
          }),
          'CreditRestrictionPage',
        ),
      },
    },
  },
  putCreditRestrictions: {
    method: 'POST',
    path: '/credit/restrictions',
    summary: 'Adds or lifts 严重失信 entries (enterprises by USCC, people by resident ID number)',
    roles: ['admin'],
    body: z.strictObject({ entries: z.array(CreditEntry).min(1).max(100) }),
    responses: {
      200: {
        description: 'stored; people shown by masked ID number',
        schema: z.object({ items: z.array(z.object({ subjectType: z.string(), subject: z.string(), lifted: z.boolean() })) }),
      },
    },
  },
  listWorkflowFailures: {
    method: 'GET',
    path: '/workflow-failures',
    summary: 'Applications whose workflow failed after its retries (a step kept failing), with the error; newest first, paged',
    roles: ['admin'],
    query: z.object(PageQuery),
    responses: {
      200: {
        description: 'failed workflows',
        schema: page(z.object({ applicationId: z.string(), error: z.string(), cause: z.string(), failedAt: z.string() }), 'WorkflowFailurePage'),
      },
    },
  },
  redriveWorkflow: {
    method: 'POST',
    path: '/workflow-failures/{id}/redrive',
    summary: 'Restarts a failed workflow from the step that failed',
    roles: ['admin'],
    params: z.object({ id: Ulid }),
    responses: { 202: { description: 'redriven', schema: z.object({ applicationId: Ulid, status: z.literal('REDRIVEN') }) } },
  },
  getRegistryEntry: {
    method: 'GET',
    path: '/registry/{uscc}',
    summary: 'One roster entry: an enterprise its own (the account masked), an admin any (404 if not on the roster)',
    roles: ['enterprise', 'admin'],
    params: z.object({ uscc: Uscc }),
    responses: { 200: { description: 'found', schema: RegistryEntryView } },
  },
  putRegistryEntry: {
    method: 'PUT',
    path: '/registry/{uscc}',
    summary: 'Adds or replaces an enterprise on the park roster (入驻主体名录)',
    roles: ['admin'],
    params: z.object({ uscc: Uscc }),
    body: RegistryEntry,
    responses: { 200: { description: 'stored', schema: RegistryEntry.extend({ uscc: Uscc, updatedAt: z.iso.datetime() }) } },
  },
  createApplication: {
    method: 'POST',
    path: '/applications',
    summary: 'Submits an application; the same Idempotency-Key and body return the same application',
    roles: ['enterprise'],
    headers: z.object({
      'idempotency-key': z
        .string({ error: '缺少 Idempotency-Key 请求头' })
        .regex(/^[A-Za-z0-9._:-]{8,128}$/, { error: 'Idempotency-Key 应为8至128位字母、数字或 . _ : -' }),
    }),
    body: ApplicationSubmission,
    responses: {
      201: { description: 'submitted', schema: Application },
      200: { description: 'the application this key already created', schema: Application },
    },
  },
  listApplications: {
    method: 'GET',
    path: '/applications',
    summary: "Applications: an enterprise's own; everyone else's for staff",
    roles: ROLES,
    query: z.object({
      status: z.enum(APPLICATION_STATUSES).optional(),
      programId: z.enum(PROGRAM_IDS).optional(),
      stage: z.enum(REVIEW_STAGES).optional(),
      // 申请查询 (issue 16): by enterprise (USCC, or a name on the roster) and by application number.
      enterprise: Text(200).optional().meta({ description: 'a USCC, or (part of) an enterprise name on the roster; staff only' }),
      id: Ulid.optional().meta({ description: 'one application number' }),
      ...PageQuery,
    }),
    responses: { 200: { description: 'newest first', schema: page(Application, 'ApplicationPage') } },
  },
  getApplication: {
    method: 'GET',
    path: '/applications/{id}',
    summary: 'One application (404 for another enterprise’s)',
    roles: ROLES,
    params: ApplicationId,
    responses: { 200: { description: 'found', schema: Application } },
  },
  listApplicationEvents: {
    method: 'GET',
    path: '/applications/{id}/events',
    summary: 'The audit trail, oldest first',
    roles: ROLES,
    params: ApplicationId,
    query: z.object(PageQuery),
    responses: { 200: { description: 'oldest first', schema: page(ApplicationEvent, 'ApplicationEventPage') } },
  },
  resubmitApplication: {
    method: 'PUT',
    path: '/applications/{id}',
    summary: 'Sends a returned application back with corrected details; it is assessed again and re-enters review',
    roles: ['enterprise'],
    params: ApplicationId,
    body: z.strictObject({
      details: z.record(z.string(), z.unknown()),
      documents: z
        .array(z.strictObject({ docType: z.enum(DOC_TYPES), documentId: Ulid }))
        .max(50)
        .optional()
        .meta({ description: 'replacements, one per docType; each docType of documentIssues must be replaced' }),
    }),
    responses: { 200: { description: 'resubmitted', schema: Application } },
  },
  withdrawApplication: {
    method: 'POST',
    path: '/applications/{id}/withdraw',
    summary: 'The owner withdraws an application before it is approved; its workflow stops and its open task closes',
    roles: ['enterprise'],
    params: ApplicationId,
    body: z.strictObject({ reason: Text(500).optional() }).optional(),
    responses: { 200: { description: 'withdrawn', schema: Application } },
  },
  listTasks: {
    method: 'GET',
    path: '/tasks',
    summary: "Open review tasks of the caller's department, oldest first",
    roles: ['reviewer'],
    query: z.object(PageQuery),
    responses: { 200: { description: 'oldest first', schema: page(Task, 'TaskPage') } },
  },
  decideTask: {
    method: 'POST',
    path: '/tasks/{taskId}/decision',
    summary: 'Approve (optionally a lower amount), reject or return; one decision per task',
    roles: ['reviewer'],
    params: TaskId,
    body: Decision,
    responses: { 200: { description: 'recorded', schema: Task.extend({ decision: z.string() }) } },
  },
  createBatch: {
    method: 'POST',
    path: '/batches',
    summary: 'Collects every APPROVED (or PAYMENT_FAILED) application not in a batch into a new disbursement batch',
    roles: ['finance'],
    body: z
      .strictObject({
        programIds: z.array(z.enum(PROGRAM_IDS)).min(1).optional(),
        allowOverBudget: z.boolean().optional(),
        reason: Text(500).optional(),
      })
      .superRefine((body, ctx) => {
        if (body.allowOverBudget && !body.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: '超预算出批须说明理由' });
      }),
    responses: { 201: { description: 'the new batch', schema: Batch } },
  },
  listBatches: {
    method: 'GET',
    path: '/batches',
    summary: 'Disbursement batches, newest first',
    roles: ['finance', 'admin'],
    query: z.object(PageQuery),
    responses: { 200: { description: 'newest first', schema: page(Batch.omit({ items: true, nextToken: true }), 'BatchPage') } },
  },
  getBatch: {
    method: 'GET',
    path: '/batches/{id}',
    summary: 'A batch with its items (paginated)',
    roles: ['finance', 'admin'],
    params: BatchId,
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(1000), nextToken: z.string().max(2048).optional() }),
    responses: { 200: { description: 'the batch', schema: Batch } },
  },
  exportBatch: {
    method: 'GET',
    path: '/batches/{id}/export',
    summary: 'The payment file (CSV UTF-8 with BOM, or XLSX); stored with its SHA-256, and the batch becomes EXPORTED',
    roles: ['finance'],
    params: BatchId,
    query: z.object({ format: z.enum(['csv', 'xlsx']).default('csv') }),
    responses: {
      200: { description: 'the file (text/csv or XLSX), with header x-content-sha256' },
      303: { description: 'a large file: Location is a download link valid for 5 minutes' },
    },
  },
  recordPayments: {
    method: 'POST',
    path: '/batches/{id}/payments',
    summary: 'Records bank results: paid → PAID; failed → PAYMENT_FAILED and back in the pool. Re-sending is harmless',
    roles: ['finance'],
    params: BatchId,
    body: z.strictObject({
      results: z
        .array(
          z
            .strictObject({
              applicationId: Ulid,
              status: z.enum(PAYMENT_RESULTS),
              reference: Text(100).optional(),
              reason: Text(500).optional(),
            })
            .superRefine((r, ctx) => {
              if (r.status === 'paid' && !r.reference) ctx.addIssue({ code: 'custom', path: ['reference'], message: '支付成功须填写银行流水号' });
              if (r.status === 'failed' && !r.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: '支付失败须填写原因' });
            }),
        )
        .min(1)
        .max(1000),
    }),
    responses: { 200: { description: 'the batch after the results', schema: Batch } },
  },
  claimTask: {
    method: 'POST',
    path: '/tasks/{taskId}/claim',
    summary: 'Claims a task so that no other reviewer works on it; only the claimant can then decide it',
    roles: ['reviewer'],
    params: TaskId,
    responses: { 200: { description: 'claimed', schema: Task } },
  },
  unclaimTask: {
    method: 'POST',
    path: '/tasks/{taskId}/unclaim',
    summary: 'Gives a claimed task back to the department',
    roles: ['reviewer'],
    params: TaskId,
    responses: { 200: { description: 'unclaimed', schema: Task } },
  },
  // ---- the in-app inbox (API.md "Notifications") ----
  listNotifications: {
    method: 'GET',
    path: '/notifications',
    summary: "The caller's notifications, newest first: an enterprise's clerks see the enterprise's; reviewers their department's and their own",
    roles: ROLES,
    query: z.object(PageQuery),
    responses: { 200: { description: 'newest first', schema: NotificationPage } },
  },
  readNotification: {
    method: 'POST',
    path: '/notifications/{id}/read',
    summary: 'Marks one of the caller’s notifications read (again: unchanged); 404 for another’s',
    roles: ROLES,
    params: NotificationId,
    responses: { 200: { description: 'read', schema: Notification } },
  },
  getNotificationPreferences: {
    method: 'GET',
    path: '/notification-preferences',
    summary: "The enterprise's mail preferences: the kinds it gets in the inbox only",
    roles: ['enterprise'],
    responses: { 200: { description: 'the preferences (none set: every kind by mail)', schema: NotificationPreferencesView } },
  },
  putNotificationPreferences: {
    method: 'PUT',
    path: '/notification-preferences',
    summary: 'Switches mail off per kind for the enterprise; the inbox always gets every notification',
    roles: ['enterprise'],
    body: NotificationPreferences,
    responses: { 200: { description: 'stored', schema: NotificationPreferencesView } },
  },
  ...PUBLICITY_ENDPOINTS,
  createDocument: {
    method: 'POST',
    path: '/documents',
    summary: 'Registers a supporting document and returns a presigned S3 POST that accepts only that size and type',
    roles: ['enterprise'],
    body: DocumentUploadRequest,
    responses: {
      201: {
        description: 'post the file to upload.url (multipart: fields first, then file) before expiresAt',
        schema: DocumentView.extend({ upload: z.object({ url: z.string(), fields: z.record(z.string(), z.string()), expiresAt: z.iso.datetime() }) }),
      },
    },
  },
  getApplicationDocument: {
    method: 'GET',
    path: '/applications/{id}/documents/{documentId}/content',
    summary: 'Opens a document of an application: 303 to a presigned GET valid for 60 s; every view is an event on the trail',
    roles: ['enterprise', 'reviewer', 'admin'],
    params: z.object({ id: Ulid, documentId: Ulid }),
    responses: { 303: { description: 'Location: the file, shown inline under its original name' } },
  },
  listPromiseChecks: {
    method: 'GET',
    path: '/promise-checks',
    summary: '事后核查: promised documents of awarded applications drawn for checking (a hash of application and docType below the sample rate), with what to check',
    roles: ['reviewer', 'admin'],
    responses: {
      200: {
        description: 'the sample: a reviewer sees their department’s programs',
        schema: z.object({
          rate: z.string(),
          items: z.array(z.object({ applicationId: Ulid, uscc: Uscc, programId: z.enum(PROGRAM_IDS), status: z.enum(APPLICATION_STATUSES), docType: z.string(), title: z.string(), check: z.string(), draw: z.string() })),
        }),
      },
    },
  },
  getDocument: {
    method: 'GET',
    path: '/documents/{id}',
    summary: 'A document and its check status (owner; reviewers and admin once an application uses it; others 404)',
    roles: ROLES,
    params: z.object({ id: Ulid }),
    responses: { 200: { description: 'the document', schema: DocumentView } },
  },
} as const satisfies Record<string, Endpoint>;

export type EndpointId = keyof typeof ENDPOINTS;
