import { benefitKey } from '../benefit-ledger.js';
import { toFen, yuan } from '../money.js';
import { M4_PLATFORM_KINDS } from '../measures/m04-innovation-platforms.js';
import { M5_PLATFORM_KINDS } from '../measures/m05-rnd-institutions.js';
import { M6_PLATFORM_KINDS } from '../measures/m06-incubation-carriers.js';
import type { PlatformAwardDetails, PlatformKindRule } from '../measures/platform-kind.js';
import { measure } from '../policy.js';
import { reason, type Reason } from '../reasons.js';
import type { Program } from './program.js';

/** Every platform kind of 第4–6条, by its `kind` in the API. */
export const PLATFORM_KINDS: Readonly<Record<string, PlatformKindRule>> = {
  ...M4_PLATFORM_KINDS,
  ...M5_PLATFORM_KINDS,
  ...M6_PLATFORM_KINDS,
};

export const platformAward: Program<PlatformAwardDetails> = {
  id: 'platform-award',
  title: '科技创新平台、新型研发机构、孵化载体奖励',
  department: 'kejiju',
  measures: [measure(4), measure(5), measure(6)],
  entitle(details, { submittedOn, params }) {
    const rule = PLATFORM_KINDS[details.kind];
    if (!rule) throw new Error(`Unknown platform kind ${details.kind}`);

    const reasons: Reason[] = [];
    if (rule.newlyApproved && details.approvedOn < params.get('policy.in-force-from')) {
      reasons.push(
        reason('EVENT_BEFORE_POLICY', `${rule.label}的获批(认定)日期 ${details.approvedOn} 早于本措施施行日期，不属于“新获批”。`),
      );
    }
    if (details.approvedOn > submittedOn) {
      reasons.push(reason('CONDITION_NOT_MET', `获批(认定)日期 ${details.approvedOn} 晚于申请日期 ${submittedOn}。`));
    }
    if (rule.perAssessmentYear && yuan(details.provincialAmount ?? '0').isZero()) {
      reasons.push(reason('CONDITION_NOT_MET', '未获得省级补助或考核奖励，不能按比例配套。'));
    }
    if (reasons.length > 0) return { items: [], reasons };

    const { amount, basis, capApplied } = rule.amount(details, params);
    const period = rule.perAssessmentYear ? String(details.assessmentYear) : undefined;
    return {
      reasons,
      items: [
        {
          label: `${rule.label}：${details.platformName}`,
          basis: capApplied ? `${basis}，最高 ${capApplied}` : basis,
          measure: rule.measure,
          claim: {
            benefitKey: benefitKey('platform', details.platformId, rule.category, period),
            mode: rule.mode,
            amount: toFen(amount),
          },
        },
      ],
    };
  },
};
