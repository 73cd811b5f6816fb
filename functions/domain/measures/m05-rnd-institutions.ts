import { formatYuan, minYuan, yuan } from '../money.js';
import { measure } from '../policy.js';
import type { PlatformKindRule } from './platform-kind.js';

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
