import { benefitKey } from '../benefit-ledger.js';
import { formatYuan, minYuan, toFen, yuan } from '../money.js';
import { measure, provision } from '../policy.js';
import type { Program } from '../programs/program.js';
import { reason } from '../reasons.js';
import { eventDateReasons } from '../events.js';
import { DOCUMENT_CHECKLISTS } from '../documents.js';

/** 第3条 as enacted. */
export const LAW = provision(3, '创新落户企业注册资本支持。给予创新主体启动资金,对经遴选入区的创新主体一次性给予最高50万元的创新启动资金,用于项目成果转化注册公司的注册资本金,启动资金在注册资本金占比不得高于实缴资本的50%。(市科技局、晋城经济技术开发区、市财政局等按职责分工负责)');

export interface StartupCapitalDetails {
  paidInCapital: string;
  selectedOn: string;
}

/**
 * 第3条 创新落户企业注册资本支持: a subject selected into the park gets start-up capital once (一次性),
 * at most 500,000 and at most 50% of its paid-in capital. Key `enterprise:<uscc>:startup-capital`,
 * exclusive (§5.4): any earlier grant, however small, makes a new one 0 — no second tranche.
 */
export const startupCapital: Program<StartupCapitalDetails> = {
  id: 'startup-capital',
  title: '创新启动资金',
  department: 'kejiju',
  law: [LAW],
  parameters: ['m3.'],
  documents: DOCUMENT_CHECKLISTS['startup-capital'],
  entitle(details, { uscc, submittedOn, params }) {
    const reasons = eventDateReasons('遴选入区日期', details.selectedOn, params, submittedOn);
    if (yuan(details.paidInCapital).isZero()) reasons.push(reason('CONDITION_NOT_MET', '实缴资本为零。'));
    if (reasons.length > 0) return { items: [], reasons };

    const rate = params.rate('m3.rate');
    const cap = params.money('m3.cap');
    const half = yuan(details.paidInCapital).times(rate);
    return {
      reasons,
      items: [
        {
          label: '创新启动资金',
          basis: `实缴资本 ${formatYuan(yuan(details.paidInCapital))} × ${rate.times(100)}%，最高 ${formatYuan(cap)}`,
          measure: measure(3),
          claim: { benefitKey: benefitKey('enterprise', uscc, 'startup-capital'), mode: 'exclusive', amount: toFen(minYuan(half, cap)) },
        },
      ],
    };
  },
};
