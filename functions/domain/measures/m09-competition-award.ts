import { benefitKey } from '../benefit-ledger.js';
import { formatYuan, toFen, yuan } from '../money.js';
import { measure, provision } from '../policy.js';
import type { Program } from '../programs/program.js';
import { reason } from '../reasons.js';
import { declaredAmountCheck, eventDateReasons } from '../events.js';
import { scopedId } from '../identifiers.js';
import { DOCUMENT_CHECKLISTS } from '../documents.js';

/** 第9条 as enacted. */
export const LAW = provision(9, '鼓励企业参加创新创业大赛。对获得中国创新创业大赛奖项的项目按照省奖励1:1配套奖励。对获得中国创新创业大赛山西赛区一、二、三等奖的项目分别奖励5万元、3万元、1万元。(市科技局、市财政局、晋城经济技术开发区等按职责分工负责)');

export interface CompetitionAwardDetails {
  projectId: string;
  projectName: string;
  level: 'national' | 'shanxi';
  rank?: 1 | 2 | 3;
  provincialAwardAmount?: string;
  awardedOn: string;
}

const PRIZE = { 1: ['一等奖', 'm9.shanxi.first-prize'], 2: ['二等奖', 'm9.shanxi.second-prize'], 3: ['三等奖', 'm9.shanxi.third-prize'] } as const;

/**
 * 第9条 鼓励企业参加创新创业大赛: a national award of the China Innovation & Entrepreneurship
 * Competition is matched 1:1 with the provincial award; the Shanxi division's 1st/2nd/3rd prizes get
 * 50,000/30,000/10,000. Key `project:<uscc>.<id>:competition:<national|shanxi>` (top-up; the project id
 * is the enterprise's own, so it is scoped by it, §5.10). The award date must lie in the window (§5.2).
 */
export const competitionAward: Program<CompetitionAwardDetails> = {
  id: 'competition-award',
  title: '创新创业大赛配套奖励',
  department: 'kejiju',
  law: [LAW],
  parameters: ['m9.'],
  documents: DOCUMENT_CHECKLISTS['competition-award'],
  entitle(details, { uscc, submittedOn, params }) {
    const key = benefitKey('project', scopedId(uscc, details.projectId), 'competition', details.level);
    const dated = eventDateReasons('获奖日期', details.awardedOn, params, submittedOn);
    if (dated.length > 0) return { items: [], reasons: dated };
    if (details.level === 'national') {
      const provincial = yuan(details.provincialAwardAmount ?? '0');
      if (provincial.isZero()) return { items: [], reasons: [reason('CONDITION_NOT_MET', '未获得省级奖励，无从 1:1 配套。')] };
      const declared = declaredAmountCheck('省级奖励金额', provincial, 'm9.national.provincial-award.max', params, measure(9));
      if (declared.reasons.length > 0) return { items: [], reasons: declared.reasons };
      const rate = params.rate('m9.national.match-rate');
      return {
        reasons: [],
        ...(declared.notes.length > 0 ? { notes: declared.notes } : {}),
        items: [
          {
            label: `中国创新创业大赛获奖：${details.projectName}`,
            basis: `省级奖励 ${formatYuan(provincial)} 按 1:${rate} 配套`,
            measure: measure(9),
            claim: { benefitKey: key, mode: 'top-up', amount: toFen(provincial.times(rate)) },
          },
        ],
      };
    }
    const [label, parameter] = PRIZE[details.rank ?? 3];
    return {
      reasons: [],
      items: [
        {
          label: `中国创新创业大赛山西赛区${label}：${details.projectName}`,
          basis: '定额奖励',
          measure: measure(9),
          claim: { benefitKey: key, mode: 'top-up', amount: params.money(parameter) },
        },
      ],
    };
  },
};
