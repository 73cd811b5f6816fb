import { yuan } from './money.js';
import type { DatedValue, ParameterTable } from './parameters.js';
import { POLICY_DOCUMENT, measure } from './policy.js';

/** The day the measures took effect (印发之日). */
export const POLICY_ISSUED_ON = '2024-12-02';

/** The unit a parameter is read in (元 amounts, 0–1 ratios shown as %, counts of months, years, days). */
export type ParameterDisplayUnit = '元' | '元/月' | '比例' | '年' | '个月' | '工作日' | '天' | '日期' | '开关';

/** Where a figure (or the range a default lies in) comes from: the citation and the sentence it quotes. */
export interface ParameterLaw {
  citation: string;
  quote: string;
}

/** A parameter as OpenFisca declares one: unit, description, the law it comes from, dated values. */
export interface ParameterDeclaration {
  unit: ParameterDisplayUnit;
  description: string;
  law?: ParameterLaw;
  values: readonly DatedValue[];
}

const law = (article: number, quote: string): ParameterLaw => ({ citation: measure(article), quote });
/** A figure the text fixes: source is the article, and administrators may not change it. */
const text = (article: number, value: string, unit: ParameterDisplayUnit, description: string, quote: string): ParameterDeclaration => ({
  unit,
  description,
  law: law(article, quote),
  values: [{ from: POLICY_ISSUED_ON, value, source: measure(article) }],
});
/** A figure the text leaves open (or gives as a range, quoted): the administration's default. */
const byDefault = (value: string, unit: ParameterDisplayUnit, description: string, range?: ParameterLaw): ParameterDeclaration => ({
  unit,
  description,
  ...(range ? { law: range } : {}),
  values: [{ from: POLICY_ISSUED_ON, value, source: 'default' }],
});
const TERM = { citation: `${POLICY_DOCUMENT} 施行期限`, quote: '本措施自印发之日起施行,有效期 5 年' };

/**
 * What the system ships with: the figures of 晋市政办〔2024〕39号 and, where the text gives only a range
 * or leaves a detail open, the defaults of POLICY.md. Names are `<measure>.<what>`.
 */
export const PARAMETERS = {
  'policy.in-force-from': { unit: '日期', description: '政策施行起始日（印发之日）', law: TERM, values: [{ from: POLICY_ISSUED_ON, value: '2024-12-02', source: TERM.citation }] },
  'policy.in-force-until': { unit: '日期', description: '政策有效期最后一日（5年）', law: TERM, values: [{ from: POLICY_ISSUED_ON, value: '2029-12-01', source: TERM.citation }] },

  // 第3条 创新启动资金
  'm3.rate': text(3, '0.5', '比例', '启动资金占实缴资本的最高比例', '启动资金在注册资本金占比不得高于实缴资本的50%'),
  'm3.cap': text(3, '500000', '元', '创新启动资金上限', '一次性给予最高50万元的创新启动资金'),

  // 第4条 科技创新平台
  'm4.national-platform.amount': text(4, '1000000', '元', '国家级科技创新平台及省实验室建设经费', '给予一次性100万元建设经费支持'),
  'm4.provincial-platform.amount': text(4, '500000', '元', '省级科技创新平台建设经费', '给予一次性50万元建设经费支持'),
  'm4.municipal-tech-innovation-center.amount': text(4, '100000', '元', '市级技术创新中心建设经费', '对新获批的市级技术创新中心,给予一次性10万元建设经费支持'),

  // 第5条 新型研发机构
  'm5.provincial-rnd-institution.amount': text(5, '300000', '元', '新获批省新型研发机构建设经费', '对新获批的省新型研发机构,给予一次性30万元建设经费支持'),
  'm5.rnd-evaluation.rate': text(5, '0.2', '比例', '通过省绩效评价的省新型研发机构：省补助金额的配套比例', '给予省补助金额20%的补助'),
  'm5.rnd-evaluation.cap': text(5, '1000000', '元', '省绩效评价配套补助上限', '最高不超过100万元'),
  'm5.municipal-rnd-institution.amount': text(5, '100000', '元', '新获批市级新型研发机构建设经费', '对新获批的市级新型研发机构,给予一次性10万元建设经费支持'),

  // 第6条 孵化器与众创空间
  'm6.national-incubator.amount': text(6, '500000', '元', '新认定国家级科技企业孵化器一次性奖励', '分别给予50万元、20万元的一次性奖励'),
  'm6.provincial-incubator.amount': text(6, '200000', '元', '新认定省级科技企业孵化器一次性奖励', '分别给予50万元、20万元的一次性奖励'),
  'm6.incubator-assessment.rate': text(6, '0.5', '比例', '存量孵化器：省考核评定奖励数额的配套比例', '对存量科技企业孵化器,按照省考核评定奖励数额的50%进行奖励'),
  'm6.national-maker-space.amount': text(6, '150000', '元', '新备案国家级众创空间一次性奖励', '分别给予15万元、10万元的一次性奖励'),
  'm6.provincial-maker-space.amount': text(6, '100000', '元', '新认定省级众创空间一次性奖励', '分别给予15万元、10万元的一次性奖励'),
  'm6.maker-space-assessment.rate': text(6, '0.5', '比例', '存量众创空间：省考核评定奖励金额的配套比例', '对存量众创空间,按照省考核评定奖励金额的50%进行奖励'),
  // §5.2: the assessment year is the provincial result's year or up to this many years before it.
  'm5-m6.assessment-year-lag': byDefault('1', '年', '考核年度最多早于省级结果年度的年数（POLICY.md §5.2）'),

  // 第8条 技术交易
  'm8.transaction.rate': text(8, '0.2', '比例', '当年实际技术交易额的配套比例', '按当年实际技术交易额20%'),
  'm8.equity.rate': text(8, '0.1', '比例', '技术入股占比的配套比例', '技术入股占比的10%'),
  'm8.cap-per-enterprise-year': text(8, '500000', '元', '技术交易配套资金每家企业每年上限', '最高支持50万元'),

  // 第9条 创新创业大赛
  'm9.national.match-rate': text(9, '1', '比例', '中国创新创业大赛获奖：省奖励的配套比例', '按照省奖励1:1配套奖励'),
  'm9.shanxi.first-prize': text(9, '50000', '元', '山西赛区一等奖奖励', '分别奖励5万元、3万元、1万元'),
  'm9.shanxi.second-prize': text(9, '30000', '元', '山西赛区二等奖奖励', '分别奖励5万元、3万元、1万元'),
  'm9.shanxi.third-prize': text(9, '10000', '元', '山西赛区三等奖奖励', '分别奖励5万元、3万元、1万元'),

  // 第10条 首台(套)与国产化替代产品
  'm10.rate': text(10, '0.1', '比例', '首台(套)及国产化替代产品成交额的后补助比例', '成交额的10%'),
  'm10.cap': text(10, '10000000', '元', '首台(套)后补助总额上限', '总额最高1000万元给予后补助'),
  'm10.cap-per-enterprise': byDefault('10000000', '元', '每家企业首台(套)后补助累计上限', law(10, '总额最高1000万元给予后补助')),

  // Self-declared amounts (§5.10): the text names no figure for the provincial award or a team's
  // award, so each is bounded by a default; at or above the flag figure the reviewer is told to verify.
  'm5-m6.provincial-amount.max': byDefault('10000000', '元', '申报的省级补助(奖励)金额上限（超出视为填报错误）'),
  'm9.national.provincial-award.max': byDefault('1000000', '元', '申报的省级大赛奖励金额上限'),
  'm12.team-award.max': byDefault('5000000', '元', '申报的团队国家级、省级奖励金额上限'),
  'review.declared-amount.flag': byDefault('500000', '元', '自报金额达到此数时提示审核人员核实'),

  // 第11条 高层次人才引育 (tier amounts: the text fixes only the ceiling of 200,000)
  'm11.tier-a.amount': byDefault('200000', '元', 'A类高层次人才全职引进奖励', law(11, '每引进一人给予最高20万元的奖励')),
  'm11.tier-b.amount': byDefault('150000', '元', 'B类高层次人才全职引进奖励', law(11, '每引进一人给予最高20万元的奖励')),
  'm11.tier-c.amount': byDefault('100000', '元', 'C类高层次人才全职引进奖励', law(11, '每引进一人给予最高20万元的奖励')),
  'm11.tier-d.amount': byDefault('60000', '元', 'D类高层次人才全职引进奖励', law(11, '每引进一人给予最高20万元的奖励')),
  'm11.tier-e.amount': byDefault('30000', '元', 'E类高层次人才全职引进奖励', law(11, '每引进一人给予最高20万元的奖励')),
  'm11.cap': text(11, '200000', '元', '高层次人才引进奖励上限（每人）', '每引进一人给予最高20万元的奖励'),
  'm11.flexible.rate': text(11, '0.5', '比例', '柔性引进按全职引进标准的比例', '柔性引进的按全职引进标准的50%给予奖励'),
  'm11.monthly.cap': text(11, '20000', '元/月', '柔性引进人才专项补贴每人每月上限', '每人每月最高2万元标准的人才专项补贴'),

  // 第12条 创新创业
  'm12.team-match.rate': text(12, '0.5', '比例', '国家级、省级认定团队奖励额度的配套比例', '按照奖励额度的50%给予配套奖励'),
  'm12.phd-project.amount': byDefault('500000', '元', '博士(或高级职称)人才创新创业项目资助', law(12, '分别给予30~50万元项目资助')),
  'm12.master-project.amount': byDefault('300000', '元', '硕士人才创新创业项目资助', law(12, '分别给予30~50万元项目资助')),
  'm12.graduate.subsidy.amount': text(12, '10000', '元', '大学毕业生自主创业：创业补贴', '一次性分别给予1万元创业补贴'),
  'm12.graduate.funding.amount': text(12, '50000', '元', '大学毕业生自主创业：创业资助', '5万元创业资助'),
  'm12.graduate.key-support.amount': text(12, '500000', '元', '大学毕业生自主创业：重点支持', '50 万元重点支持'),
  'm12.graduate.founded-within-years': byDefault('5', '年', '大学毕业生所创办企业的成立年限（POLICY.md 默认）'),

  // 第13条 生活补贴 (per month; the text gives the range 1,000–5,000)
  'm13.phd.monthly': byDefault('5000', '元/月', '博士研究生人才专项生活补贴', law(13, '每人 1000—5000 元/月的人才专项生活补贴')),
  'm13.master.monthly': byDefault('3000', '元/月', '硕士研究生人才专项生活补贴', law(13, '每人 1000—5000 元/月的人才专项生活补贴')),
  'm13.bachelor.monthly': byDefault('1000', '元/月', '大学毕业生人才专项生活补贴', law(13, '每人 1000—5000 元/月的人才专项生活补贴')),

  // 第14条 购(租)房补贴 (purchase: the text gives the range 50,000–350,000)
  'm14.purchase.tier-a': byDefault('350000', '元', '顶尖(A类)人才购房补贴', law(14, '每人 5—35 万元')),
  'm14.purchase.phd': byDefault('200000', '元', '博士研究生购房补贴', law(14, '每人 5—35 万元')),
  'm14.purchase.master': byDefault('100000', '元', '硕士研究生购房补贴', law(14, '每人 5—35 万元')),
  'm14.purchase.bachelor': byDefault('50000', '元', '大学毕业生购房补贴', law(14, '每人 5—35 万元')),
  'm14.rent.monthly-cap': text(14, '2000', '元/月', '租房补贴每人每月上限', '最高 2000 元/月的租房补贴'),

  // Talent conditions of 第11、13、14条
  'talent.min-contract-years': text(13, '3', '年', '劳动合同最短期限', '签订 3 年以上劳动合同'),
  'talent.min-social-insurance-months': text(13, '6', '个月', '在本单位缴纳社会保险的最少月数', '正常缴纳 6 个月以上社会保险'),
  'talent.claim-window-months': byDefault('60', '个月', '入职后可申请生活、住房补贴的月数', law(13, '5 年内分别给予企业每人')),

  // Review: amounts at or above this go to leadership sign-off; days each stage has before its task
  // is overdue. (The deadline for a returned application is the workflow's own: CDK context
  // returnDeadlineDays.)
  'review.leadership-threshold': byDefault('500000', '元', '达到此金额须领导审批'),
  'review.park-prelim.days': byDefault('5', '天', '园区初审时限'),
  'review.dept-review.days': byDefault('15', '天', '主管部门审核时限'),
  'review.leadership.days': byDefault('5', '天', '领导审批时限'),

  // 公示 (§5.14): an approved award is published for this many working days (working-days.ts) before it is payable.
  'publicity.working-days': byDefault('5', '工作日', '拟奖励名单公示期'),

  // 申报材料 (§5.13): the checklist gate is switched on from a date an administrator sets (1 = on), so
  // that enterprises are told before submissions without documents are refused; promised items are
  // sampled at this rate for 事后核查; documents are kept this many years after payment.
  'documents.checklist-enforced': byDefault('0', '开关', '是否按申报材料清单拒收材料不全的申请（1 开启）'),
  'documents.promise-sample-rate': byDefault('0.2', '比例', '告知承诺事项事后核查抽查比例'),
  'documents.retention-years-after-payment': byDefault('10', '年', '申报材料在拨付后的保存年限'),
} as const satisfies Record<string, ParameterDeclaration>;

/** Every shipped parameter's name: reading any other is a compile error. */
export type ParameterName = keyof typeof PARAMETERS;

export const PARAMETER_NAMES = Object.keys(PARAMETERS) as ParameterName[];

export const isParameterName = (name: string): name is ParameterName => Object.hasOwn(PARAMETERS, name);

/** The shipped dated values, the table administrators' overrides are merged over. */
export const DEFAULT_PARAMETERS: ParameterTable = Object.fromEntries(
  Object.entries(PARAMETERS).map(([name, declaration]) => [name, declaration.values as readonly DatedValue[]]),
);

/** How a parameter's value is written: checked on PUT /parameters before it is stored. */
export type ParameterUnit = 'money' | 'rate' | 'count' | 'days' | 'date';

export interface ParameterRule {
  unit: ParameterUnit;
  /** Inclusive bounds from the text (§5.9), as decimal strings. */
  min?: string;
  max?: string;
  /** Where the bound comes from, for the 400 message. */
  bound?: string;
  /** The value must be above 0 (review days: a fraction of a day is allowed, 0 is not). */
  positive?: boolean;
}

const money = (min = '0', max?: string, bound?: string): ParameterRule => ({ unit: 'money', min, ...(max ? { max } : {}), ...(bound ? { bound } : {}) });
const positive = (unit: ParameterUnit): ParameterRule => ({ unit, min: '1' });

/**
 * Units and bounds of the parameters an administrator may set. [text] figures (source is a measure)
 * cannot be set at all; [default] ones only inside the range the text gives (POLICY.md §5.9).
 */
export const PARAMETER_RULES: Readonly<Partial<Record<ParameterName, ParameterRule>>> = {
  'm10.cap-per-enterprise': money('0'),
  'm5-m6.provincial-amount.max': money('0'),
  'm9.national.provincial-award.max': money('0'),
  'm12.team-award.max': money('0'),
  'review.declared-amount.flag': money('0'),
  'm5-m6.assessment-year-lag': { unit: 'count', min: '0', max: '1', bound: 'POLICY.md §5.2：考核年度为结果年度或上一年度' },
  ...Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((t) => [`m11.tier-${t}.amount`, money('0', '200000', `${measure(11)}：最高20万元`)])),
  'm12.phd-project.amount': money('300000', '500000', `${measure(12)}：30~50万元`),
  'm12.master-project.amount': money('300000', '500000', `${measure(12)}：30~50万元`),
  'm12.graduate.founded-within-years': positive('count'),
  'm13.phd.monthly': money('1000', '5000', `${measure(13)}：1000—5000元/月`),
  'm13.master.monthly': money('1000', '5000', `${measure(13)}：1000—5000元/月`),
  'm13.bachelor.monthly': money('1000', '5000', `${measure(13)}：1000—5000元/月`),
  'm14.purchase.tier-a': money('50000', '350000', `${measure(14)}：5—35万元`),
  'm14.purchase.phd': money('50000', '350000', `${measure(14)}：5—35万元`),
  'm14.purchase.master': money('50000', '350000', `${measure(14)}：5—35万元`),
  'm14.purchase.bachelor': money('50000', '350000', `${measure(14)}：5—35万元`),
  'talent.claim-window-months': { unit: 'count', min: '1', max: '60', bound: `${measure(13)}：5年内` },
  'review.leadership-threshold': { unit: 'money', min: '0.01' },
  'review.park-prelim.days': { unit: 'days', positive: true },
  'review.dept-review.days': { unit: 'days', positive: true },
  'review.leadership.days': { unit: 'days', positive: true },
  'publicity.working-days': positive('count'),
  'documents.checklist-enforced': { unit: 'count', min: '0', max: '1', bound: '0 关闭，1 开启' },
  'documents.promise-sample-rate': { unit: 'rate' },
  'documents.retention-years-after-payment': { unit: 'count', min: '10', bound: '会计档案管理办法：会计凭证保管30年、其他不少于10年' },
};

/** Annual budgets (`budget.<programId>`) are money, set freely by administrators. */
export function parameterRule(name: string): ParameterRule | undefined {
  return name.startsWith('budget.') ? money('0') : isParameterName(name) ? PARAMETER_RULES[name] : undefined;
}

const UNIT_PATTERN: Record<ParameterUnit, [RegExp, string]> = {
  money: [/^\d{1,13}(\.\d{1,2})?$/, '金额（元，最多两位小数）'],
  rate: [/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, '0 到 1 之间的比例'],
  count: [/^\d{1,4}$/, '整数'],
  days: [/^\d{1,4}(\.\d{1,6})?$/, '天数（可带小数）'],
  date: [/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD 日期'],
};

/**
 * Why an administrator may not set `value` for `name`, or undefined if they may: [text] figures are
 * fixed; others must be written in their unit (a date for a money figure would break every decision)
 * and lie inside the text's range.
 */
export function parameterValueProblem(name: string, value: string): string | undefined {
  const shipped = DEFAULT_PARAMETERS[name];
  const rule = parameterRule(name);
  if (!rule) return `参数 ${name} 由政策原文确定（${shipped?.[0]?.source ?? POLICY_DOCUMENT}），不能修改`;
  const [pattern, unitLabel] = UNIT_PATTERN[rule.unit];
  if (!pattern.test(value)) return `参数 ${name} 的取值应为${unitLabel}`;
  const number = yuan(value);
  const bound = rule.bound ? `（${rule.bound}）` : '';
  if (rule.positive && number.lessThanOrEqualTo(0)) return `参数 ${name} 须大于 0`;
  if (rule.min !== undefined && number.lessThan(rule.min)) return `参数 ${name} 不能低于 ${rule.min}${bound}`;
  if (rule.max !== undefined && number.greaterThan(rule.max)) return `参数 ${name} 不能高于 ${rule.max}${bound}`;
  return undefined;
}
