import { benefitKey } from '../benefit-ledger.js';
import { formatYuan, toFen, yuan } from '../money.js';
import { measure, provision } from '../policy.js';
import type { Program } from '../programs/program.js';
import { reason } from '../reasons.js';
import type { Person } from '../talent.js';
import { declaredAmountCheck, eventDateReasons } from '../events.js';
import { scopedId } from '../identifiers.js';
import { DOCUMENT_CHECKLISTS } from '../documents.js';

/** 第12条 as enacted. */
export const LAW = provision(12, '鼓励全方位创新创业。对新引进和培育的创新创业团队,通过国家级、省级认定后,按照奖励额度的50%给予配套奖励。博士、硕士或具有高级专业技术职称的人才(团队)来我市开展创新创业项目,申报审核通过后分别给予30~50万元项目资助和300万元以内的贴息贷款优惠。对自主创业的大学毕业生所创办的企业,申报审核通过后按照创业进展一次性分别给予1万元创业补贴、5万元创业资助或 50 万元重点支持,享受 30 万元贴息贷款、100 万元信用贷款和 300 万元以内的担保贷款。(市人社局、市财政局、市政府办公室、市委组织部、晋城经济技术开发区等按职责分工负责)');

export interface Founder {
  name: string;
  degree: 'phd' | 'master' | 'bachelor' | 'associate';
  graduatedOn: string;
}

export type EntrepreneurshipDetails =
  | { kind: 'team-match'; teamId: string; awardAmount: string; recognizedOn: string }
  | { kind: 'high-degree-project'; person: Person }
  | { kind: 'graduate-startup'; stage: 'subsidy' | 'funding' | 'key-support'; founder: Founder; foundedOn: string };

const GRADUATE_STAGE = {
  subsidy: ['创业补贴', 'm12.graduate.subsidy.amount'],
  funding: ['创业资助', 'm12.graduate.funding.amount'],
  'key-support': ['重点支持', 'm12.graduate.key-support.amount'],
} as const;

/**
 * 第12条 鼓励全方位创新创业: a team newly recognised at national or provincial level (recognised inside
 * the window) gets 50% of that award (`team:<uscc>.<id>:entrepreneurship`); a doctor, or a master or
 * person with a senior title, starting a project in the city 500,000 or 300,000
 * (`person:<personKey>:entrepreneurship`); a company founded by a graduate (bachelor or higher, founded
 * within 5 years of graduating [default]), by progress, 10,000 / 50,000 / 500,000
 * (`enterprise:<uscc>:graduate-startup`). All top-up: a stage is paid once, a later one pays the difference.
 */
export const entrepreneurship: Program<EntrepreneurshipDetails> = {
  id: 'entrepreneurship',
  title: '创新创业支持',
  department: 'renshe',
  law: [LAW],
  parameters: ['m12.'],
  documents: DOCUMENT_CHECKLISTS['entrepreneurship'],
  entitle(details, { uscc, submittedOn, params }) {
    switch (details.kind) {
      case 'team-match': {
        const award = yuan(details.awardAmount);
        const dated = eventDateReasons('团队认定日期', details.recognizedOn, params, submittedOn);
        if (dated.length > 0) return { items: [], reasons: dated };
        if (award.isZero()) return { items: [], reasons: [reason('CONDITION_NOT_MET', '未获得国家级或省级认定奖励。')] };
        const declared = declaredAmountCheck('团队认定奖励金额', award, 'm12.team-award.max', params, measure(12));
        if (declared.reasons.length > 0) return { items: [], reasons: declared.reasons };
        const rate = params.rate('m12.team-match.rate');
        return {
          reasons: [],
          ...(declared.notes.length > 0 ? { notes: declared.notes } : {}),
          items: [
            {
              label: `创新创业团队 ${details.teamId} 认定奖励配套`,
              basis: `认定奖励 ${formatYuan(award)} × ${rate.times(100)}%`,
              measure: measure(12),
              claim: { benefitKey: benefitKey('team', scopedId(uscc, details.teamId), 'entrepreneurship'), mode: 'top-up', amount: toFen(award.times(rate)) },
            },
          ],
        };
      }
      case 'high-degree-project': {
        const { person } = details;
        const senior = person.title === 'senior';
        if (person.degree === 'bachelor' && !senior) {
          return { items: [], reasons: [reason('CONDITION_NOT_MET', '项目资助面向博士、硕士或具有高级专业技术职称的人才。')], personKey: person.personKey };
        }
        if (person.hiredOn > submittedOn) {
          return { items: [], reasons: [reason('CONDITION_NOT_MET', `来晋日期 ${person.hiredOn} 晚于申请日期。`)], personKey: person.personKey };
        }
        // A senior professional title qualifies like a master (§5.6); a doctor gets the doctor's figure.
        const parameter = person.degree === 'phd' ? 'm12.phd-project.amount' : 'm12.master-project.amount';
        const who = person.degree === 'phd' ? '博士' : person.degree === 'master' ? '硕士' : '高级职称';
        return {
          reasons: [],
          personKey: person.personKey,
          items: [
            {
              label: `${who}人才来晋创新创业项目资助：${person.name}（${person.idNumberMasked}）`,
              basis: '项目资助',
              measure: measure(12),
              claim: { benefitKey: benefitKey('person', person.personKey, 'entrepreneurship'), mode: 'top-up', amount: params.money(parameter) },
            },
          ],
        };
      }
      case 'graduate-startup': {
        const [label, parameter] = GRADUATE_STAGE[details.stage];
        const { founder, foundedOn } = details;
        const reasons = [];
        if (founder.degree === 'associate') reasons.push(reason('CONDITION_NOT_MET', '创办人须为本科及以上学历的大学毕业生。'));
        const years = Number(params.get('m12.graduate.founded-within-years'));
        // Within N years: founded no later than the same calendar day N years after graduating.
        const latest = `${Number(founder.graduatedOn.slice(0, 4)) + years}${founder.graduatedOn.slice(4)}`;
        if (foundedOn > latest) {
          reasons.push(reason('CONDITION_NOT_MET', `企业成立日期 ${foundedOn} 不在创办人毕业（${founder.graduatedOn}）后 ${years} 年内。`));
        }
        if (foundedOn > submittedOn) reasons.push(reason('CONDITION_NOT_MET', `企业成立日期 ${foundedOn} 晚于申请日期。`));
        if (founder.graduatedOn > submittedOn) reasons.push(reason('CONDITION_NOT_MET', `毕业日期 ${founder.graduatedOn} 晚于申请日期。`));
        if (reasons.length > 0) return { items: [], reasons };
        return {
          reasons: [],
          items: [
            {
              label: `大学毕业生自主创业${label}（创办人 ${founder.name}，${founder.graduatedOn} 毕业，${foundedOn} 成立）`,
              basis: '按创业进展一次性给予',
              measure: measure(12),
              claim: { benefitKey: benefitKey('enterprise', uscc, 'graduate-startup'), mode: 'top-up', amount: params.money(parameter) },
            },
          ],
        };
      }
    }
  },
};
