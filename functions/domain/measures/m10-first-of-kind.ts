import { benefitKey } from '../benefit-ledger.js';
import { formatYuan, minYuan, toFen, yuan } from '../money.js';
import { measure } from '../policy.js';
import type { Program } from '../programs/program.js';
import { reason } from '../reasons.js';

export interface FirstOfKindDetails {
  agreementNo: string;
  productName: string;
  buyer: string;
  dealAmount: string;
  provincialStandardAmount: string;
}

/**
 * 第10条 创新产品优先采购: for a first (set) major equipment or domestic-substitution product sold under
 * a forward purchase agreement, 10% of the deal, not above the provincial subsidy standard, at most
 * 10,000,000. Each agreement once (`agreement:<no>:first-of-kind`, exclusive), and at most 10,000,000
 * per enterprise in all (`enterprise:<uscc>:first-of-kind`, capped) [default].
 */
export const firstOfKind: Program<FirstOfKindDetails> = {
  id: 'first-of-kind',
  title: '首台(套)及国产化替代产品后补助',
  department: 'kejiju',
  measures: [measure(10)],
  entitle(details, { uscc, params }) {
    if (yuan(details.dealAmount).isZero()) return { items: [], reasons: [reason('CONDITION_NOT_MET', '成交额为零。')] };
    const rate = params.rate('m10.rate');
    const cap = params.money('m10.cap');
    const standard = yuan(details.provincialStandardAmount);
    const amount = minYuan(yuan(details.dealAmount).times(rate), standard, cap);
    return {
      reasons: [],
      items: [
        {
          label: `${details.productName}（预约采购协议 ${details.agreementNo}，${details.buyer}）`,
          basis: `成交额 ${formatYuan(yuan(details.dealAmount))} × ${rate.times(100)}%，不超省补助标准 ${formatYuan(standard)}，最高 ${formatYuan(cap)}`,
          measure: measure(10),
          claim: { benefitKey: benefitKey('agreement', details.agreementNo, 'first-of-kind'), mode: 'exclusive', amount: toFen(amount) },
        },
      ],
      groupCap: {
        benefitKey: benefitKey('enterprise', uscc, 'first-of-kind'),
        cap: params.money('m10.cap-per-enterprise'),
        label: `每家企业累计最高 ${formatYuan(params.money('m10.cap-per-enterprise'))}`,
        measure: measure(10),
      },
    };
  },
};
