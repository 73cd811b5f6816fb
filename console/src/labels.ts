import { PLATFORM_KINDS } from '../../functions/domain/programs/platform-award';
import * as vocabulary from '../../functions/domain/vocabulary';

/** The console's Chinese names for the API's codes. One place, so that every page says the same thing. */

export const ROLE_LABELS = { enterprise: '企业', reviewer: '审核人员', finance: '财务', admin: '系统管理员' } as const;

// The domain's label maps, looked up by the codes the API sends (plain strings here).
export const DEPT_LABELS: Readonly<Record<string, string>> = vocabulary.DEPARTMENT_NAMES;
export const STATUS_LABELS: Readonly<Record<string, string>> = vocabulary.STATUS_LABELS;
export const STAGE_LABELS: Readonly<Record<string, string>> = vocabulary.STAGE_LABELS;
export const DECISION_LABELS: Readonly<Record<string, string>> = vocabulary.DECISION_LABELS;
export const BATCH_STATUS_LABELS: Readonly<Record<string, string>> = vocabulary.BATCH_STATUS_LABELS;
export const EVENT_LABELS: Readonly<Record<string, string>> = vocabulary.EVENT_LABELS;

/** Form fields of the program schemas, by property name. */
export const FIELD_LABELS: Record<string, string> = {
  paidInCapital: '实缴注册资本（元）',
  selectedOn: '入选日期',
  platformId: '平台编号',
  platformName: '平台名称',
  kind: '类别',
  approvedOn: '获批（认定）日期',
  provincialAmount: '省级奖励金额（元）',
  assessmentYear: '考核年度',
  year: '年度',
  contracts: '技术合同',
  contractNo: '合同编号',
  registrationNo: '技术合同登记编号',
  approvalDocNo: '批准文号',
  resultOn: '省级考核（评价）结果日期',
  awardedOn: '获奖日期',
  agreementSignedOn: '协议签订日期',
  recognizedOn: '认定日期',
  founder: '创办人',
  graduatedOn: '毕业日期',
  foundedOn: '企业成立日期',
  title: '职称',
  leftOn: '离职日期',
  mode: '方式',
  amount: '金额（元）',
  counterparty: '合同相对方',
  signedOn: '签订日期',
  projectId: '项目编号',
  projectName: '项目名称',
  level: '赛事级别',
  rank: '名次',
  provincialAwardAmount: '省级奖励金额（元）',
  agreementNo: '首购协议编号',
  productName: '产品名称',
  buyer: '采购方',
  dealAmount: '成交金额（元）',
  provincialStandardAmount: '省级奖励标准金额（元）',
  person: '人才信息',
  idNumber: '身份证号码',
  idNumberMasked: '身份证号码',
  name: '姓名',
  degree: '学历学位',
  hiredOn: '入职日期',
  contractYears: '劳动合同年限（年）',
  socialInsuranceMonths: '本地社保缴纳月数',
  fullTime: '全职',
  tier: '人才层次',
  months: '申请月份',
  monthlyAmount: '每月金额（元）',
  teamId: '团队编号',
  awardAmount: '获奖金额（元）',
  stage: '支持阶段',
  subsidy: '补贴类型',
  type: '类型',
  purchaseContractDate: '购房合同日期',
  purchaseContractNo: '购房合同编号',
  monthlyRent: '月租金（元）',
};

/** Values of the schemas' enums. Platform kinds carry their own labels in the policy. */
export const VALUE_LABELS: Record<string, string> = {
  phd: '博士',
  master: '硕士',
  bachelor: '学士',
  associate: '专科',
  senior: '高级专业技术职称',
  'commissioned-development': '委托开发',
  transfer: '技术转让',
  'exclusive-license': '独占许可',
  equity: '作价入股',
  'full-time': '全职引进',
  flexible: '柔性引进',
  national: '国家级赛事',
  shanxi: '山西赛区',
  'team-match': '团队对接奖励',
  'high-degree-project': '高学历人才创业项目',
  'graduate-startup': '高校毕业生创业',
  subsidy: '创业补贴',
  funding: '资金扶持',
  'key-support': '重点扶持',
  purchase: '购房补贴',
  rent: '租房补贴',
  A: 'A 类',
  B: 'B 类',
  C: 'C 类',
  D: 'D 类',
  E: 'E 类',
  ...Object.fromEntries(Object.entries(PLATFORM_KINDS).map(([kind, rule]) => [kind, rule.label])),
};

export const fieldLabel = (name: string) => FIELD_LABELS[name] ?? name;

/** "details.person.idNumber" → "人才信息 · 身份证号码"; a path with parts the console has no name for stays as it is. */
export function pathLabel(path: string): string {
  const parts = path.split('.').filter((part) => part !== 'details');
  if (parts.length === 0 || !parts.every((part) => /^\d+$/.test(part) || part in FIELD_LABELS)) return path;
  return parts.map((part) => (/^\d+$/.test(part) ? `第 ${Number(part) + 1} 项` : FIELD_LABELS[part])).join(' · ');
}
export const valueLabel = (value: unknown) => VALUE_LABELS[String(value)] ?? String(value);
