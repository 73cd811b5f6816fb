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
};
