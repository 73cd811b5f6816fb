import { benefitKey } from '../benefit-ledger.js';
import { toFen, yuan } from '../money.js';
import { LAW as LAW_4, M4_PLATFORM_KINDS } from '../measures/m04-innovation-platforms.js';
import { LAW as LAW_5, M5_PLATFORM_KINDS } from '../measures/m05-rnd-institutions.js';
import { LAW as LAW_6, M6_PLATFORM_KINDS } from '../measures/m06-incubation-carriers.js';
import type { PlatformAwardDetails, PlatformKindRule } from '../measures/platform-kind.js';
import { measure } from '../policy.js';
import { reason, type Reason } from '../reasons.js';
import type { Entitlement, Program } from './program.js';
import { declaredAmountCheck, eventDateReasons } from '../events.js';
import { normaliseId } from '../identifiers.js';
import { DOCUMENT_CHECKLISTS } from '../documents.js';

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
  law: [LAW_4, LAW_5, LAW_6],
  parameters: ['m4.', 'm5.', 'm6.', 'm5-m6.'],
  documents: DOCUMENT_CHECKLISTS['platform-award'],
  entitle(details, { submittedOn, params }) {
    const rule = PLATFORM_KINDS[details.kind];
    if (!rule) throw new Error(`Unknown platform kind ${details.kind}`);

    const reasons: Reason[] = [];
    const notes: NonNullable<Entitlement['notes']> = [];
    if (rule.newlyApproved) {
      reasons.push(...eventDateReasons(`${rule.label}的获批(认定)日期`, details.approvedOn, params, submittedOn));
    } else if (details.approvedOn > submittedOn) {
      reasons.push(reason('CONDITION_NOT_MET', `获批(认定)日期 ${details.approvedOn} 晚于申请日期 ${submittedOn}。`));
    }
    if (rule.perAssessmentYear) {
      const provincial = yuan(details.provincialAmount ?? '0');
      if (provincial.isZero()) reasons.push(reason('CONDITION_NOT_MET', '未获得省级补助或考核奖励，不能按比例配套。'));
      // §5.2: the provincial result is the rewarded event; the year assessed is its year or the one before.
      const resultOn = details.resultOn ?? '';
      reasons.push(...eventDateReasons('省级考核(评价)结果日期', resultOn, params, submittedOn));
      const resultYear = Number(resultOn.slice(0, 4));
      const lag = Number(params.get('m5-m6.assessment-year-lag'));
      const year = details.assessmentYear ?? 0;
      if (year > resultYear || year < resultYear - lag) {
        reasons.push(reason('CONDITION_NOT_MET', `考核年度 ${year} 与省级结果日期 ${resultOn} 不符（应为 ${resultYear - lag}–${resultYear} 年）。`));
      }
      const declared = declaredAmountCheck('省级补助(奖励)金额', provincial, 'm5-m6.provincial-amount.max', params, rule.measure);
      reasons.push(...declared.reasons);
      notes.push(...declared.notes);
    }
    if (reasons.length > 0) return { items: [], reasons };

    const { amount, basis, capApplied } = rule.amount(details, params);
    const period = rule.perAssessmentYear ? String(details.assessmentYear) : undefined;
    return {
      reasons,
      ...(notes.length > 0 ? { notes } : {}),
      items: [
        {
          label: `${rule.label}：${details.platformName}${details.approvalDocNo ? `（${details.approvalDocNo}）` : ''}`,
          basis: capApplied ? `${basis}，最高 ${capApplied}` : basis,
          measure: rule.measure,
          claim: {
            // Official platform names are unique: relabelling the id or rewriting the name does not make it new.
            benefitKey: benefitKey('platform', normaliseId(details.platformName), rule.category, period),
            mode: rule.mode,
            amount: toFen(amount),
          },
        },
      ],
    };
  },
};
