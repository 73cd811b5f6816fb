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

  // Review: amounts at or above this go to leadership sign-off.
  'review.leadership-threshold': byDefault('500000'),
};
