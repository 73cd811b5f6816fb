import { formatYuan, yuan } from '../money.js';
import { measure, provision } from '../policy.js';
import type { PlatformKindRule } from './platform-kind.js';
import type { ParameterName } from '../parameter-defaults.js';

/** 第6条 as enacted. */
export const LAW = provision(6, '支持壮大科技企业孵化载体。对新认定的国家级科技企业孵化器和省级科技企业孵化器,在省级支持基础上,分别给予50万元、20万元的一次性奖励。对存量科技企业孵化器,按照省考核评定奖励数额的50%进行奖励。对新备案的国家级众创空间和新认定的省级众创空间,在省级支持基础上,分别给予15万元、10万元的一次性奖励。对存量众创空间,按照省考核评定奖励金额的50%进行奖励。(市科技局、市财政局、晋城经济技术开发区等按职责分工负责)');

/**
 * 第6条 支持壮大科技企业孵化载体: one-off awards for a newly recognised incubator (national 500,000,
 * provincial 200,000) or maker space (national 150,000, provincial 100,000), keys
 * `platform:<id>:incubator` / `…:maker-space` (top-up); and for existing ones, 50% of the provincial
 * assessment award, once per assessment year (`…:incubator-assessment:<year>`, exclusive).
 */
const recognised = (label: string, category: string, parameter: ParameterName): PlatformKindRule => ({
  measure: measure(6),
  label,
  category,
  mode: 'top-up',
  newlyApproved: true,
  amount: (_details, params) => ({ amount: params.money(parameter), basis: '一次性奖励' }),
});

const assessed = (label: string, category: string, rateParameter: ParameterName): PlatformKindRule => ({
  measure: measure(6),
  label,
  category,
  mode: 'exclusive',
  newlyApproved: false,
  perAssessmentYear: true,
  amount: (details, params) => {
    const rate = params.rate(rateParameter);
    const provincial = yuan(details.provincialAmount!);
    return { amount: provincial.times(rate), basis: `省考核评定奖励 ${formatYuan(provincial)} × ${rate.times(100).toString()}%` };
  },
});

export const M6_PLATFORM_KINDS = {
  'national-incubator': recognised('国家级科技企业孵化器', 'incubator', 'm6.national-incubator.amount'),
  'provincial-incubator': recognised('省级科技企业孵化器', 'incubator', 'm6.provincial-incubator.amount'),
  'incubator-assessment': assessed('存量科技企业孵化器考核奖励', 'incubator-assessment', 'm6.incubator-assessment.rate'),
  'national-maker-space': recognised('国家级众创空间', 'maker-space', 'm6.national-maker-space.amount'),
  'provincial-maker-space': recognised('省级众创空间', 'maker-space', 'm6.provincial-maker-space.amount'),
  'maker-space-assessment': assessed('存量众创空间考核奖励', 'maker-space-assessment', 'm6.maker-space-assessment.rate'),
} satisfies Record<string, PlatformKindRule>;
