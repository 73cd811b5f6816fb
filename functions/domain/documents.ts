/**
 * Supporting documents (申报材料, POLICY.md §5.13): what each program asks for, and the rules a file and
 * a submission must meet. Pure: the API, the scan function and the console read it.
 */
import type { ProgramId } from './vocabulary.js';

export interface DocumentRequirement {
  docType: string;
  title: string;
  required: boolean;
  /** 告知承诺制: a written promise may replace the file; promised items are sampled after the award. */
  promiseAllowed: boolean;
  /** What the reviewer checks it against. */
  proves: string;
}

const req = (docType: string, title: string, proves: string, options: { required?: boolean; promiseAllowed?: boolean } = {}): DocumentRequirement => ({
  docType,
  title,
  required: options.required ?? true,
  promiseAllowed: options.promiseAllowed ?? false,
  proves,
});

/** Every program: the business licence, which the government already holds (may be promised). */
const BUSINESS_LICENCE = req('business-licence', '营业执照', '申请主体的登记信息与统一社会信用代码', { promiseAllowed: true });

/** Talent programs (M11–M14) share the person's papers. */
const TALENT = [
  req('labour-contract', '劳动合同', '聘用关系与合同期限（不少于3年）'),
  req('social-insurance-record', '社会保险缴纳记录', '在本单位实际缴纳社保的月数（不少于6个月）'),
  req('degree-certificate', '学历学位证书或职称证书', '学历（博士、硕士、本科）或高级专业技术职称'),
  req('id-card-copy', '身份证复印件', '人员身份与身份证号码'),
];

/**
 * The checklist per program, typed by PROGRAM_IDS: a program without its list does not compile.
 * "Required unless marked" (§5.13); items that apply only to some cases are optional here and the
 * reviewer asks for them (return with document issues) when the case needs them.
 */
export const DOCUMENT_CHECKLISTS = {
  'startup-capital': [
    BUSINESS_LICENCE,
    req('selection-notice', '入选通知', '入选园区的时间'),
    req('capital-verification', '验资报告或银行实缴资本证明', '实缴资本金额'),
  ],
  'platform-award': [
    BUSINESS_LICENCE,
    req('approval-document', '批准文件（认定文件）', '平台名称、级别、批准文号与批准日期'),
    req('provincial-result', '省级考核（评价）结果', '按省级考核配套时：考核年度与结果日期', { required: false }),
    req('provincial-payment-proof', '省级奖补资金到账证明', '按省级考核配套时：省级金额', { required: false }),
  ],
  'tech-transaction': [
    BUSINESS_LICENCE,
    req('contracts', '技术合同', '合同类型、金额、签订日期与对方单位'),
    req('contract-registration', '技术合同登记证明', '技术合同登记编号'),
    req('invoices', '发票或付款凭证', '实际成交金额'),
  ],
  'competition-award': [
    BUSINESS_LICENCE,
    req('award-certificate', '获奖证书', '赛事、级别、名次与获奖日期'),
    req('provincial-award-proof', '省级奖励证明', '国赛获奖时：省级奖励金额（1:1 配套）', { required: false }),
  ],
  'first-of-kind': [
    BUSINESS_LICENCE,
    req('purchase-agreement', '首购（订购）协议', '协议编号、签订日期、买方与成交金额'),
    req('first-of-kind-recognition', '首台（套）认定文件', '产品属于首台（套）重大技术装备或首批次产品'),
    req('provincial-standard-proof', '省级补助标准证明', '省级补助标准金额'),
  ],
  'talent-introduction': [BUSINESS_LICENCE, ...TALENT],
  'talent-flexible-monthly': [BUSINESS_LICENCE, ...TALENT],
  entrepreneurship: [BUSINESS_LICENCE, ...TALENT.map((item) => ({ ...item, required: false }))],
  'talent-living-allowance': [BUSINESS_LICENCE, ...TALENT],
  'talent-housing': [
    BUSINESS_LICENCE,
    ...TALENT,
    req('housing-contract', '购房合同或租房合同', '购房：合同编号与日期；租房：月租金与租期'),
  ],
} as const satisfies Record<ProgramId, readonly DocumentRequirement[]>;

export function checklistOf(programId: ProgramId): readonly DocumentRequirement[] {
  return DOCUMENT_CHECKLISTS[programId];
}

/** Every docType any program asks for (the API's enum). */
export const DOC_TYPES = [...new Set(Object.values(DOCUMENT_CHECKLISTS).flatMap((list) => list.map((item) => item.docType)))] as [string, ...string[]];

// ---- files ------------------------------------------------------------------------------------

/** The types accepted (API.md: PDF, OFD, JPEG, PNG), as declared and as detected from the bytes. */
export const DOCUMENT_CONTENT_TYPES = ['application/pdf', 'application/ofd', 'image/jpeg', 'image/png'] as const;
export type DocumentContentType = (typeof DOCUMENT_CONTENT_TYPES)[number];
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

export const DOCUMENT_STATUSES = ['PENDING_UPLOAD', 'SCANNING', 'CLEAN', 'REJECTED'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];
export const DOCUMENT_STATUS_LABELS = { PENDING_UPLOAD: '待上传', SCANNING: '检查中', CLEAN: '已通过检查', REJECTED: '未通过检查' } as const satisfies Record<DocumentStatus, string>;

/** What the checks found; each names why a file was REJECTED. */
export type FileVerdict = { ok: true } | { ok: false; reason: string };

/** The checks after upload, given what was declared and what the bytes are (the scan is separate). */
export function checkFile(declared: { contentType: string; size: number; sha256: string }, actual: { contentType: string | undefined; size: number; sha256: string }): FileVerdict {
  if (actual.size !== declared.size) return { ok: false, reason: `文件大小 ${actual.size} 字节与申报的 ${declared.size} 字节不符` };
  if (actual.sha256 !== declared.sha256.toLowerCase()) return { ok: false, reason: 'SHA-256 与申报的不符，文件可能在上传中损坏或被替换' };
  if (!actual.contentType) return { ok: false, reason: '无法从文件内容识别其类型（仅接受 PDF、OFD、JPEG、PNG）' };
  if (actual.contentType !== declared.contentType) return { ok: false, reason: `文件内容为 ${actual.contentType}，与申报的 ${declared.contentType} 不符` };
  return { ok: true };
}

/** The submission gate (§5.13): what a submission's documents and promises leave wanting, per docType. */
export function submissionProblems(
  programId: ProgramId,
  documents: readonly { docType: string; status: DocumentStatus; owned: boolean; documentDocType: string }[],
  promises: readonly string[],
  /** Whether every required item must be there (the gate is on); what is given is checked either way. */
  requireAll = true,
): { path: string; message: string }[] {
  const list = checklistOf(programId);
  const problems: { path: string; message: string }[] = [];
  documents.forEach((doc, index) => {
    const item = list.find((entry) => entry.docType === doc.docType);
    if (!item) problems.push({ path: `documents.${index}.docType`, message: `本项目不需要 ${doc.docType}` });
    else if (!doc.owned) problems.push({ path: `documents.${index}.documentId`, message: '材料不存在或不属于本企业' });
    else if (doc.documentDocType !== doc.docType) problems.push({ path: `documents.${index}.documentId`, message: `该材料上传时登记为 ${doc.documentDocType}，不是 ${doc.docType}` });
    else if (doc.status !== 'CLEAN') problems.push({ path: `documents.${index}.documentId`, message: `材料 ${item.title} 尚未通过检查（${DOCUMENT_STATUS_LABELS[doc.status]}）` });
  });
  promises.forEach((docType, index) => {
    const item = list.find((entry) => entry.docType === docType);
    if (!item) problems.push({ path: `promises.${index}`, message: `本项目不需要 ${docType}` });
    else if (!item.promiseAllowed) problems.push({ path: `promises.${index}`, message: `${item.title}（${docType}）不适用告知承诺，须上传` });
  });
  for (const item of list) {
    if (!item.required || !requireAll) continue;
    if (documents.some((doc) => doc.docType === item.docType) || promises.includes(item.docType)) continue;
    problems.push({ path: 'documents', message: `缺少必需材料 ${item.docType}（${item.title}）${item.promiseAllowed ? '，可上传或作出告知承诺' : ''}` });
  }
  return problems;
}

/**
 * 事后核查 sampling: whether a promised item is drawn, from a hash of the application and docType, so
 * anyone can recompute the draw (auditable) and nobody can choose it. `rate` is a fraction (0.2).
 */
export function sampledForCheck(hashHex: string, rate: number): boolean {
  return Number.parseInt(hashHex.slice(0, 8), 16) / 0x1_0000_0000 < rate;
}
