import { benefitKey } from '../benefit-ledger.js';
import { formatYuan, minYuan, toFen, yuan } from '../money.js';
import { measure, provision } from '../policy.js';
import type { EntitlementItem, Program } from '../programs/program.js';
import { reason } from '../reasons.js';
import { type Person, claimableMonths, talentConditions } from '../talent.js';
import { DOCUMENT_CHECKLISTS } from '../documents.js';

/** 第11条 as enacted. */
export const LAW = provision(11, '加强高层次人才引育。鼓励全社会对用人单位自主引进,或与中介机构、个人合作全职引进高层次人才,签订3年以上劳动合同、并正常缴纳6个月以上社会保险的,每引进一人给予最高20万元的奖励。柔性引进的按全职引进标准的50%给予奖励。柔性引进确实能为我市破解发展难题、攻克技术难关、推动科技成果转化的高层次人才,按照人才在我市实际工作月数,给予用人单位每人每月最高2万元标准的人才专项补贴。(市人社局、市财政局、市委组织部、晋城经济技术开发区等按职责分工负责)');

export interface TalentIntroductionDetails {
  person: Person;
  tier: 'A' | 'B' | 'C' | 'D' | 'E';
  mode: 'full-time' | 'flexible';
}

export interface FlexibleMonthlyDetails {
  person: Person;
  /** The high-level talent tier the person is recognised at (§5.5: only they qualify). */
  tier: TalentIntroductionDetails['tier'];
  months: string[];
  monthlyAmount: string;
}

/**
 * 第11条 加强高层次人才引育 — introduction award: for a high-level talent introduced full-time (contract
 * of 3 years or more, 6 months or more of social insurance), by tier, at most 200,000; flexibly
 * introduced, 50% of that. Key `person:<personKey>:talent-introduction` (top-up: flexible, then
 * full-time, pays the difference).
 */
export const talentIntroduction: Program<TalentIntroductionDetails> = {
  id: 'talent-introduction',
  title: '高层次人才引进奖励',
  department: 'renshe',
  law: [LAW],
  parameters: ['m11.', 'talent.'],
  documents: DOCUMENT_CHECKLISTS['talent-introduction'],
  entitle({ person, tier, mode }, { submittedOn, params }) {
    const fullTime = mode === 'full-time';
    const reasons = talentConditions(person, params, submittedOn, { employed: fullTime, fullTime, newlyIntroduced: true });
    if (reasons.length > 0) return { items: [], reasons, personKey: person.personKey };

    const tierAmount = minYuan(params.money(`m11.tier-${tier.toLowerCase() as Lowercase<typeof tier>}.amount`), params.money('m11.cap'));
    const rate = fullTime ? yuan(1) : params.rate('m11.flexible.rate');
    return {
      reasons,
      personKey: person.personKey,
      items: [
        {
          label: `${fullTime ? '全职' : '柔性'}引进 ${tier} 类高层次人才 ${person.name}（${person.idNumberMasked}）`,
          basis: fullTime ? `${tier} 类标准 ${formatYuan(tierAmount)}` : `${tier} 类全职标准 ${formatYuan(tierAmount)} × ${rate.times(100)}%`,
          measure: measure(11),
          claim: { benefitKey: benefitKey('person', person.personKey, 'talent-introduction'), mode: 'top-up', amount: toFen(tierAmount.times(rate)) },
        },
      ],
    };
  },
};

/**
 * 第11条 — monthly allowance for a flexibly introduced talent: per month actually worked in the city, at
 * most 20,000 per person and month (the figure is proposed and set per case; the reviewer may lower
 * it). Only a talent introduced flexibly (not full-time) and recognised at a tier A–E, introduced inside
 * the window, for months already ended and not after leaving (§5.5, §5.7). Key
 * `person:<personKey>:flexible-monthly:<YYYY-MM>` (exclusive).
 */
export const talentFlexibleMonthly: Program<FlexibleMonthlyDetails> = {
  id: 'talent-flexible-monthly',
  title: '柔性引进人才专项补贴',
  department: 'renshe',
  law: [LAW],
  parameters: ['m11.monthly', 'talent.'],
  documents: DOCUMENT_CHECKLISTS['talent-flexible-monthly'],
  entitle({ person, tier, months, monthlyAmount }, { submittedOn, params }) {
    const reasons = talentConditions(person, params, submittedOn, { employed: false, fullTime: false, newlyIntroduced: true });
    // A full-time hire draws 第13条 for the same months; the monthly subsidy is for 柔性引进 only.
    if (person.fullTime) reasons.push(reason('CONDITION_NOT_MET', '柔性引进人才专项补贴仅适用于柔性引进（非全职）的高层次人才。'));
    const check = claimableMonths(months, person, params, submittedOn);
    if (check.claimable.length === 0) reasons.push(reason('CONDITION_NOT_MET', '没有可申请的月份。'));
    if (reasons.length > 0) return { items: [], reasons, personKey: person.personKey };

    const cap = params.money('m11.monthly.cap');
    const monthly = minYuan(yuan(monthlyAmount), cap);
    const items: EntitlementItem[] = check.claimable.map((month) => ({
      label: `${tier} 类柔性引进人才 ${person.name}（${person.idNumberMasked}）${month} 在晋工作`,
      basis: yuan(monthlyAmount).greaterThan(cap) ? `申报 ${formatYuan(yuan(monthlyAmount))}/月，最高 ${formatYuan(cap)}/月` : `${formatYuan(monthly)}/月`,
      measure: measure(11),
      claim: {
        benefitKey: benefitKey('person', person.personKey, 'flexible-monthly', month),
        mode: 'exclusive',
        amount: toFen(monthly),
        // One person, one month, one monthly subsidy: not both this and 第13条's living allowance.
        blockedBy: [benefitKey('person', person.personKey, 'living-allowance', month)],
      },
    }));
    return {
      reasons,
      personKey: person.personKey,
      items,
      notes: check.refused.map(({ month, why }) => ({ label: `${month} 不予支持`, basis: why, measure: measure(11) })),
    };
  },
};
