import { benefitKey } from '../benefit-ledger.js';
import { formatYuan, minYuan, toFen, yuan } from '../money.js';
import { measure, provision } from '../policy.js';
import type { Program } from '../programs/program.js';
import { reason } from '../reasons.js';
import { declaredAmountCheck, eventDateReasons } from '../events.js';
import { scopedId } from '../identifiers.js';
import { DOCUMENT_CHECKLISTS } from '../documents.js';

/** 第10条 as enacted. */
export const LAW = provision(10, '创新产品优先采购。对于开发生产的国内首台(套)重大技术装备产品和国产化替代创新产品,鼓励大中型企业用户以需求为导向,采用市场化的方式与园区内科创型企业签订远期创新产品“预约采购协议”,实现定制化生产,锁定未来市场,按照首台(套)重大技术装备产品和国产化替代创新产品成交额的10%,不超省补助标准、总额最高1000万元给予后补助。(市科技局、市财政局、晋城经济技术开发区等按职责分工负责)');

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
  law: [LAW],
  parameters: ['m10.'],
  documents: DOCUMENT_CHECKLISTS['first-of-kind'],
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
