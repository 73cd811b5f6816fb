import { benefitKey } from '../benefit-ledger.js';
import { formatYuan } from '../money.js';
import { measure } from '../policy.js';
import type { Program } from '../programs/program.js';
import { reason } from '../reasons.js';
import { DEGREE_LABEL, type Person, claimableMonths, talentConditions } from '../talent.js';

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
  measures: [measure(13)],
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
