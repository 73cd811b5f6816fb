import { benefitKey } from '../benefit-ledger.js';
import { formatYuan, toFen, yuan } from '../money.js';
import { measure } from '../policy.js';
import type { Program } from '../programs/program.js';
import { reason } from '../reasons.js';
import type { Person } from '../talent.js';

export type EntrepreneurshipDetails =
  | { kind: 'team-match'; teamId: string; awardAmount: string }
  | { kind: 'high-degree-project'; person: Person }
  | { kind: 'graduate-startup'; stage: 'subsidy' | 'funding' | 'key-support' };

const GRADUATE_STAGE = {
  subsidy: ['创业补贴', 'm12.graduate.subsidy.amount'],
  funding: ['创业资助', 'm12.graduate.funding.amount'],
  'key-support': ['重点支持', 'm12.graduate.key-support.amount'],
} as const;

/**
 * 第12条 鼓励全方位创新创业: a team newly recognised at national or provincial level gets 50% of that
 * award (`team:<id>:entrepreneurship`); a doctor or master starting a project in the city 500,000 or
 * 300,000 (`person:<personKey>:entrepreneurship`); a graduate's company, by progress, 10,000 / 50,000 /
 * 500,000 (`enterprise:<uscc>:graduate-startup`). All top-up: a later stage pays the difference.
 */
export const entrepreneurship: Program<EntrepreneurshipDetails> = {
  id: 'entrepreneurship',
  title: '创新创业支持',
  department: 'renshe',
  measures: [measure(12)],
  entitle(details, { uscc, submittedOn, params }) {
    switch (details.kind) {
      case 'team-match': {
        const award = yuan(details.awardAmount);
        if (award.isZero()) return { items: [], reasons: [reason('CONDITION_NOT_MET', '未获得国家级或省级认定奖励。')] };
        const rate = params.rate('m12.team-match.rate');
        return {
          reasons: [],
          items: [
            {
              label: `创新创业团队 ${details.teamId} 认定奖励配套`,
              basis: `认定奖励 ${formatYuan(award)} × ${rate.times(100)}%`,
              measure: measure(12),
              claim: { benefitKey: benefitKey('team', details.teamId, 'entrepreneurship'), mode: 'top-up', amount: toFen(award.times(rate)) },
            },
          ],
        };
      }
      case 'high-degree-project': {
        const { person } = details;
        if (person.degree === 'bachelor') {
          return { items: [], reasons: [reason('CONDITION_NOT_MET', '项目资助面向博士、硕士或具有高级专业技术职称的人才。')], personKey: person.personKey };
        }
        if (person.hiredOn > submittedOn) {
          return { items: [], reasons: [reason('CONDITION_NOT_MET', `来晋日期 ${person.hiredOn} 晚于申请日期。`)], personKey: person.personKey };
        }
        const parameter = person.degree === 'phd' ? 'm12.phd-project.amount' : 'm12.master-project.amount';
        return {
          reasons: [],
          personKey: person.personKey,
          items: [
            {
              label: `${person.degree === 'phd' ? '博士' : '硕士'}人才来晋创新创业项目资助：${person.name}（${person.idNumberMasked}）`,
              basis: '项目资助',
              measure: measure(12),
              claim: { benefitKey: benefitKey('person', person.personKey, 'entrepreneurship'), mode: 'top-up', amount: params.money(parameter) },
            },
          ],
        };
      }
      case 'graduate-startup': {
        const [label, parameter] = GRADUATE_STAGE[details.stage];
        return {
          reasons: [],
          items: [
            {
              label: `大学毕业生自主创业${label}`,
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
