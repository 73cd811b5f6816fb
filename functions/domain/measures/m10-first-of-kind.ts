import { benefitKey } from '../benefit-ledger.js';
import { formatYuan, minYuan, toFen, yuan } from '../money.js';
import { measure } from '../policy.js';
import type { Program } from '../programs/program.js';
import { reason } from '../reasons.js';
import { declaredAmountCheck, eventDateReasons } from '../events.js';
import { scopedId } from '../identifiers.js';

export interface FirstOfKindDetails {
  agreementNo: string;
  productName: string;
  buyer: string;
  dealAmount: string;
  provincialStandardAmount: string;
  agreementSignedOn: string;
}

/**
 * 第10条 创新产品优先采购: for a first (set) major equipment or domestic-substitution product sold under
 * a forward purchase agreement, 10% of the deal, not above the provincial subsidy standard, at most
 * 10,000,000. Each agreement once (`agreement:<uscc>.<no>:first-of-kind`, exclusive; the number is the
 * enterprise's own, §5.10), and at most 10,000,000 per enterprise in all (`enterprise:<uscc>:first-of-kind`,
 * capped) [default]. The agreement is signed inside the window (§5.2); a provincial standard above the
 * text's 10,000,000 cannot be right and is refused.
 */
export const firstOfKind: Program<FirstOfKindDetails> = {
  id: 'first-of-kind',
  title: '首台(套)及国产化替代产品后补助',
  department: 'kejiju',
  measures: [measure(10)],
  entitle(details, { uscc, submittedOn, params }) {
    const dated = eventDateReasons('预约采购协议签订日期', details.agreementSignedOn, params, submittedOn);
    if (dated.length > 0) return { items: [], reasons: dated };
    if (yuan(details.dealAmount).isZero()) return { items: [], reasons: [reason('CONDITION_NOT_MET', '成交额为零。')] };
    const rate = params.rate('m10.rate');
    const cap = params.money('m10.cap');
    const standard = yuan(details.provincialStandardAmount);
    const declared = declaredAmountCheck('省补助标准', standard, 'm10.cap', params, measure(10));
    if (declared.reasons.length > 0) return { items: [], reasons: declared.reasons };
    const amount = minYuan(yuan(details.dealAmount).times(rate), standard, cap);
    return {
      reasons: [],
      ...(declared.notes.length > 0 ? { notes: declared.notes } : {}),
      items: [
        {
          label: `${details.productName}（预约采购协议 ${details.agreementNo}，${details.buyer}）`,
          basis: `成交额 ${formatYuan(yuan(details.dealAmount))} × ${rate.times(100)}%，不超省补助标准 ${formatYuan(standard)}，最高 ${formatYuan(cap)}`,
          measure: measure(10),
          claim: { benefitKey: benefitKey('agreement', scopedId(uscc, details.agreementNo), 'first-of-kind'), mode: 'exclusive', amount: toFen(amount) },
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
