import { formatYuan, minYuan, yuan } from '../money.js';
import { measure, provision } from '../policy.js';
import type { PlatformKindRule } from './platform-kind.js';

/** 第5条 as enacted. */
export const LAW = provision(5, '大力培育新型研发机构。对新获批的省新型研发机构,给予一次性30万元建设经费支持;对通过省绩效评价且获得省补助资金的省新型研发机构,给予省补助金额20%的补助,最高不超过100万元;对新获批的市级新型研发机构,给予一次性10万元建设经费支持。(市科技局、市财政局、晋城经济技术开发区等按职责分工负责)');

/**
 * 第5条 大力培育新型研发机构: 300,000 for a new provincial new-type R&D institution, 100,000 for a new
 * municipal one (key `platform:<id>:rnd-institution`, top-up); and for one that passed the provincial
 * performance evaluation with a provincial subsidy, 20% of that subsidy, at most 1,000,000, once per
 * evaluation year (key `platform:<id>:rnd-evaluation:<year>`, exclusive).
 */
export const M5_PLATFORM_KINDS = {
  'provincial-rnd-institution': {
    measure: measure(5),
    label: '省新型研发机构',
    category: 'rnd-institution',
    mode: 'top-up',
    newlyApproved: true,
    amount: (_details, params) => ({ amount: params.money('m5.provincial-rnd-institution.amount'), basis: '一次性建设经费' }),
  },
  'provincial-rnd-evaluation': {
    measure: measure(5),
    label: '省新型研发机构绩效评价',
    category: 'rnd-evaluation',
    mode: 'exclusive',
    newlyApproved: false,
    perAssessmentYear: true,
    amount: (details, params) => {
      const rate = params.rate('m5.rnd-evaluation.rate');
      const cap = params.money('m5.rnd-evaluation.cap');
      const computed = yuan(details.provincialAmount!).times(rate);
      const amount = minYuan(computed, cap);
      return {
        amount,
        basis: `省补助 ${formatYuan(yuan(details.provincialAmount!))} × ${rate.times(100).toString()}%`,
        ...(computed.greaterThan(cap) ? { capApplied: formatYuan(cap) } : {}),
      };
    },
  },
  'municipal-rnd-institution': {
    measure: measure(5),
    label: '市级新型研发机构',
    category: 'rnd-institution',
    mode: 'top-up',
    newlyApproved: true,
    amount: (_details, params) => ({ amount: params.money('m5.municipal-rnd-institution.amount'), basis: '一次性建设经费' }),
  },
} satisfies Record<string, PlatformKindRule>;
