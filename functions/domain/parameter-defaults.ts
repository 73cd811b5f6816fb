import { yuan } from './money.js';
import type { DatedValue, ParameterTable } from './parameters.js';
import { POLICY_DOCUMENT, measure } from './policy.js';

/** The day the measures took effect (印发之日). */
export const POLICY_ISSUED_ON = '2024-12-02';

const text = (article: number, value: string): DatedValue[] => [
  { from: POLICY_ISSUED_ON, value, source: measure(article) },
];
const byDefault = (value: string): DatedValue[] => [{ from: POLICY_ISSUED_ON, value, source: 'default' }];

/**
 * What the system ships with: the figures of 晋市政办〔2024〕39号 and, where the text gives only a range
 * or leaves a detail open, the defaults of POLICY.md. Names are `<measure>.<what>`.
 */
export const DEFAULT_PARAMETERS: ParameterTable = {
  // 施行: from the day of issue, for five years.
  'policy.in-force-from': [{ from: POLICY_ISSUED_ON, value: '2024-12-02', source: `${POLICY_DOCUMENT} 施行期限` }],
  'policy.in-force-until': [{ from: POLICY_ISSUED_ON, value: '2029-12-01', source: `${POLICY_DOCUMENT} 施行期限` }],

  // 第3条 创新启动资金
  'm3.rate': text(3, '0.5'),
  'm3.cap': text(3, '500000'),

  // 第4条 科技创新平台
  'm4.national-platform.amount': text(4, '1000000'),
  'm4.provincial-platform.amount': text(4, '500000'),
  'm4.municipal-tech-innovation-center.amount': text(4, '100000'),

  // 第5条 新型研发机构
  'm5.provincial-rnd-institution.amount': text(5, '300000'),
  'm5.rnd-evaluation.rate': text(5, '0.2'),
  'm5.rnd-evaluation.cap': text(5, '1000000'),
  'm5.municipal-rnd-institution.amount': text(5, '100000'),

  // 第6条 孵化器与众创空间
  'm6.national-incubator.amount': text(6, '500000'),
  'm6.provincial-incubator.amount': text(6, '200000'),
  'm6.incubator-assessment.rate': text(6, '0.5'),
  'm6.national-maker-space.amount': text(6, '150000'),
  'm6.provincial-maker-space.amount': text(6, '100000'),
  'm6.maker-space-assessment.rate': text(6, '0.5'),
  // §5.2: the assessment year is the provincial result's year or up to this many years before it.
  'm5-m6.assessment-year-lag': byDefault('1'),

  // 第8条 技术交易
  'm8.transaction.rate': text(8, '0.2'),
  'm8.equity.rate': text(8, '0.1'),
  'm8.cap-per-enterprise-year': text(8, '500000'),

  // 第9条 创新创业大赛
  'm9.national.match-rate': text(9, '1'),
  'm9.shanxi.first-prize': text(9, '50000'),
  'm9.shanxi.second-prize': text(9, '30000'),
  'm9.shanxi.third-prize': text(9, '10000'),

  // 第10条 首台(套)与国产化替代产品
  'm10.rate': text(10, '0.1'),
  'm10.cap': text(10, '10000000'),
  'm10.cap-per-enterprise': byDefault('10000000'),

  // Self-declared amounts (§5.10): the text names no figure for the provincial award or a team's
  // award, so each is bounded by a default; at or above the flag figure the reviewer is told to verify.
  'm5-m6.provincial-amount.max': byDefault('10000000'),
  'm9.national.provincial-award.max': byDefault('1000000'),
  'm12.team-award.max': byDefault('5000000'),
  'review.declared-amount.flag': byDefault('500000'),

  // 第11条 高层次人才引育 (tier amounts: the text fixes only the ceiling of 200,000)
  'm11.tier-a.amount': byDefault('200000'),
  'm11.tier-b.amount': byDefault('150000'),
  'm11.tier-c.amount': byDefault('100000'),
  'm11.tier-d.amount': byDefault('60000'),
  'm11.tier-e.amount': byDefault('30000'),
  'm11.cap': text(11, '200000'),
  'm11.flexible.rate': text(11, '0.5'),
  'm11.monthly.cap': text(11, '20000'),

  // 第12条 创新创业
  'm12.team-match.rate': text(12, '0.5'),
  'm12.phd-project.amount': byDefault('500000'),
  'm12.master-project.amount': byDefault('300000'),
  'm12.graduate.subsidy.amount': text(12, '10000'),
  'm12.graduate.funding.amount': text(12, '50000'),
  'm12.graduate.key-support.amount': text(12, '500000'),
  'm12.graduate.founded-within-years': byDefault('5'),

  // 第13条 生活补贴 (per month; the text gives the range 1,000–5,000)
  'm13.phd.monthly': byDefault('5000'),
  'm13.master.monthly': byDefault('3000'),
  'm13.bachelor.monthly': byDefault('1000'),

  // 第14条 购(租)房补贴 (purchase: the text gives the range 50,000–350,000)
  'm14.purchase.tier-a': byDefault('350000'),
  'm14.purchase.phd': byDefault('200000'),
  'm14.purchase.master': byDefault('100000'),
  'm14.purchase.bachelor': byDefault('50000'),
  'm14.rent.monthly-cap': text(14, '2000'),

  // Talent conditions of 第11、13、14条
  'talent.min-contract-years': text(13, '3'),
  'talent.min-social-insurance-months': text(13, '6'),
  'talent.claim-window-months': byDefault('60'),

  // Review: amounts at or above this go to leadership sign-off; days each stage has before its task
  // is overdue. (The deadline for a returned application is the workflow's own: CDK context
  // returnDeadlineDays.)
  'review.leadership-threshold': byDefault('500000'),
  'review.park-prelim.days': byDefault('5'),
  'review.dept-review.days': byDefault('15'),
  'review.leadership.days': byDefault('5'),

  // 公示 (§5.14): an approved award is published for this many working days (working-days.ts) before it is payable.
  'publicity.working-days': byDefault('5'),

  // 申报材料 (§5.13): the checklist gate is switched on from a date an administrator sets (1 = on), so
  // that enterprises are told before submissions without documents are refused; promised items are
  // sampled at this rate for 事后核查; documents are kept this many years after payment.
  'documents.checklist-enforced': byDefault('0'),
  'documents.promise-sample-rate': byDefault('0.2'),
  'documents.retention-years-after-payment': byDefault('10'),
};

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
export const PARAMETER_RULES: Readonly<Record<string, ParameterRule>> = {
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
  return name.startsWith('budget.') ? money('0') : PARAMETER_RULES[name];
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
