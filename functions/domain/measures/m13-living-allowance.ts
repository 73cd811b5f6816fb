import { benefitKey } from '../benefit-ledger.js';
import { formatYuan } from '../money.js';
import { measure, provision } from '../policy.js';
import type { Program } from '../programs/program.js';
import { reason } from '../reasons.js';
import { DEGREE_LABEL, type Person, claimableMonths, talentConditions } from '../talent.js';
import { DOCUMENT_CHECKLISTS } from '../documents.js';

/** 第13条 as enacted. */
export const LAW = provision(13, '发放生活补贴。对用人主体新全职引进博士研究生、硕士研究生、大学毕业生等相应层次人才,签订 3 年以上劳动合同,并正常缴纳 6 个月以上社会保险,到企业工作的,5 年内分别给予企业每人 1000—5000 元/月的人才专项生活补贴。(市人社局、市财政局、市委组织部、晋城经济技术开发区等按职责分工负责)');

export interface LivingAllowanceDetails {
  person: Person;
  months: string[];
}

/**
 * 第13条 发放生活补贴: for a newly, full-time introduced doctor / master / graduate (contract of 3 years
 * or more, 6 months or more of social insurance), per month within 5 years of hire: 5,000 / 3,000 /
 * 1,000 [default, text: 1,000–5,000]. Key `person:<personKey>:living-allowance:<YYYY-MM>` (exclusive).
 */
export const livingAllowance: Program<LivingAllowanceDetails> = {
  id: 'talent-living-allowance',
  title: '人才专项生活补贴',
  department: 'renshe',
  law: [LAW],
  parameters: ['m13.', 'talent.'],
  documents: DOCUMENT_CHECKLISTS['talent-living-allowance'],
  entitle({ person, months }, { submittedOn, params }) {
    const reasons = talentConditions(person, params, submittedOn, { employed: true, fullTime: true, newlyIntroduced: true });
    const check = claimableMonths(months, person, params, submittedOn);
    if (reasons.length === 0 && check.claimable.length === 0) reasons.push(reason('CONDITION_NOT_MET', '没有可申请的月份（入职后60个月内、已到来的月份）。'));
    if (reasons.length > 0) return { items: [], reasons, personKey: person.personKey };

    const monthly = params.money(`m13.${person.degree}.monthly`);
    return {
      reasons,
      personKey: person.personKey,
      items: check.claimable.map((month) => ({
        label: `${DEGREE_LABEL[person.degree]} ${person.name}（${person.idNumberMasked}）${month} 生活补贴`,
        basis: `${formatYuan(monthly)}/月`,
        measure: measure(13),
        claim: {
          benefitKey: benefitKey('person', person.personKey, 'living-allowance', month),
          mode: 'exclusive',
          amount: monthly,
          // Not for a month already paid as 第11条's flexible monthly subsidy.
          blockedBy: [benefitKey('person', person.personKey, 'flexible-monthly', month)],
        },
      })),
      notes: check.refused.map(({ month, why }) => ({ label: `${month} 不予支持`, basis: why, measure: measure(13) })),
    };
  },
};
