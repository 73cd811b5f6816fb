import { benefitKey } from '../benefit-ledger.js';
import { formatYuan, minYuan, yuan } from '../money.js';
import { measure, provision } from '../policy.js';
import type { Program } from '../programs/program.js';
import { reason } from '../reasons.js';
import { DEGREE_LABEL, type Person, claimableMonths, monthsBetween, talentConditions } from '../talent.js';
import { DOCUMENT_CHECKLISTS } from '../documents.js';

/** 第14条 as enacted. */
export const LAW = provision(14, '给予购(租)房补贴。对用人主体新全职引进博士研究生、硕士研究生、大学毕业生等相应层次人才,签订 3 年以上劳动合同,并正常缴纳 6 个月以上社会保险,到企业工作的,5 年内分别给予企业每人 5—35 万元(或最高 2000 元/月的租房补贴)的人才专项购(租)房补贴。(市人社局、市财政局、市委组织部、晋城经济技术开发区等按职责分工负责)');

export type HousingDetails =
  | { person: Person; tier?: 'A'; subsidy: { type: 'purchase'; purchaseContractDate: string; purchaseContractNo: string } }
  | { person: Person; subsidy: { type: 'rent'; months: string[]; monthlyRent: string } };

/**
 * 第14条 给予购(租)房补贴: for the same newly, full-time introduced people as 第13条, within 5 years of
 * hire, a purchase subsidy — tier A 350,000, doctor 200,000, master 100,000, graduate 50,000 [default,
 * text: 50,000–350,000] — or a rent subsidy of the actual monthly rent, at most 2,000 a month.
 * Purchase: `person:<personKey>:housing` (top-up; rent already granted counts toward it). Rent:
 * `person:<personKey>:housing-rent:<YYYY-MM>` (exclusive; nothing once a purchase subsidy was granted).
 */
export const housing: Program<HousingDetails> = {
  id: 'talent-housing',
  title: '人才专项购(租)房补贴',
  department: 'renshe',
  law: [LAW],
  parameters: ['m14.', 'talent.'],
  documents: DOCUMENT_CHECKLISTS['talent-housing'],
  entitle(details, { submittedOn, params }) {
    const { person } = details;
    const reasons = talentConditions(person, params, submittedOn, { employed: true, fullTime: true, newlyIntroduced: true });
    const purchaseKey = benefitKey('person', person.personKey, 'housing');
    const rentPrefix = `${benefitKey('person', person.personKey, 'housing-rent')}:`;

    if (details.subsidy.type === 'purchase') {
      const { purchaseContractDate, purchaseContractNo } = details.subsidy;
      const window = Number(params.get('talent.claim-window-months'));
      if (monthsBetween(person.hiredOn, purchaseContractDate) < 0 || monthsBetween(person.hiredOn, purchaseContractDate) >= window) {
        reasons.push(reason('CONDITION_NOT_MET', `购房合同日期 ${purchaseContractDate} 不在入职后 ${window} 个月内。`));
      }
      if (purchaseContractDate > submittedOn) reasons.push(reason('CONDITION_NOT_MET', `购房合同日期 ${purchaseContractDate} 晚于申请日期。`));
      if (reasons.length > 0) return { items: [], reasons, personKey: person.personKey };
      const topTier = 'tier' in details && details.tier === 'A';
      const amount = params.money(topTier ? 'm14.purchase.tier-a' : `m14.purchase.${person.degree}`);
      return {
        reasons,
        personKey: person.personKey,
        items: [
          {
            label: `${topTier ? 'A 类顶尖人才' : DEGREE_LABEL[person.degree]} ${person.name}（${person.idNumberMasked}）购房补贴`,
            basis: `购房合同 ${purchaseContractNo}（${purchaseContractDate}），标准 ${formatYuan(amount)}；已享受的租房补贴计入`,
            measure: measure(14),
            claim: { benefitKey: purchaseKey, mode: 'top-up', amount, alsoCounts: [rentPrefix] },
          },
        ],
      };
    }

    const { months, monthlyRent } = details.subsidy;
    const check = claimableMonths(months, person, params, submittedOn);
    if (reasons.length === 0 && check.claimable.length === 0) reasons.push(reason('CONDITION_NOT_MET', '没有可申请的月份（入职后60个月内、已到来的月份）。'));
    if (reasons.length > 0) return { items: [], reasons, personKey: person.personKey };
    const cap = params.money('m14.rent.monthly-cap');
    const monthly = minYuan(yuan(monthlyRent), cap);
    return {
      reasons,
      personKey: person.personKey,
      items: check.claimable.map((month) => ({
        label: `${person.name}（${person.idNumberMasked}）${month} 租房补贴`,
        basis: `实际月租 ${formatYuan(yuan(monthlyRent))}，最高 ${formatYuan(cap)}/月；已享受购房补贴的不再补贴`,
        measure: measure(14),
        claim: { benefitKey: `${rentPrefix}${month}`, mode: 'exclusive', amount: monthly, blockedBy: [purchaseKey] },
      })),
      notes: check.refused.map(({ month, why }) => ({ label: `${month} 不予支持`, basis: why, measure: measure(14) })),
    };
  },
};
