import { benefitKey } from '../benefit-ledger.js';
import { formatYuan, toFen, yuan } from '../money.js';
import { measure, provision } from '../policy.js';
import type { EntitlementItem, Program } from '../programs/program.js';
import { reason } from '../reasons.js';
import { normaliseId } from '../identifiers.js';
import { DOCUMENT_CHECKLISTS } from '../documents.js';

/** 第8条 as enacted. */
export const LAW = provision(8, '支持技术交易。以委托开发、技术转让、独占许可、技术入股等方式转化先进科技成果的入驻企业,按当年实际技术交易额20%或技术入股占比的10%给予配套资金支持,最高支持50万元。(市科技局、市财政局、晋城经济技术开发区等按职责分工负责)');

export type TransactionMode = 'commissioned-development' | 'transfer' | 'exclusive-license' | 'equity';

export interface TechTransactionDetails {
  year: number;
  contracts: { contractNo: string; registrationNo: string; mode: TransactionMode; amount: string; counterparty: string; signedOn: string }[];
}

const MODE_LABEL: Record<TransactionMode, string> = {
  'commissioned-development': '委托开发',
  transfer: '技术转让',
  'exclusive-license': '独占许可',
  equity: '技术入股',
};

/**
 * 第8条 支持技术交易: 20% of the year's actual transaction amount (委托开发, 技术转让, 独占许可) and 10% of
 * technology contributed as equity, at most 500,000 per enterprise and year. Each contract counts once,
 * keyed by its normalised national registration number (`contract:<登记编号>:tech-transaction`,
 * exclusive, §5.10); the year's total is capped under `enterprise:<uscc>:tech-transaction:<year>`.
 * Only contracts signed inside the policy window and while the enterprise was in the park count (§5.3).
 */
export const techTransaction: Program<TechTransactionDetails> = {
  id: 'tech-transaction',
  title: '技术交易配套资金',
  department: 'kejiju',
  law: [LAW],
  parameters: ['m8.'],
  documents: DOCUMENT_CHECKLISTS['tech-transaction'],
  entitle(details, { uscc, submittedOn, params, joinedOn }) {
    const policyStart = params.get('policy.in-force-from');
    const outside = details.contracts.filter((c) => !c.signedOn.startsWith(`${details.year}-`));
    if (outside.length > 0) {
      return {
        items: [],
        reasons: [reason('CONDITION_NOT_MET', `合同 ${outside.map((c) => c.contractNo).join('、')} 的签订日期不在 ${details.year} 年度内。`)],
      };
    }
    const future = details.contracts.filter((c) => c.signedOn > submittedOn);
    if (future.length > 0) {
      return { items: [], reasons: [reason('CONDITION_NOT_MET', `合同 ${future.map((c) => c.contractNo).join('、')} 的签订日期晚于申请日期。`)] };
    }
    const before = details.contracts.filter((c) => c.signedOn < policyStart);
    // 入驻企业: a contract signed before the enterprise joined the park is not its in-park transaction.
    const beforeJoining = details.contracts.filter((c) => c.signedOn >= policyStart && joinedOn !== undefined && c.signedOn < joinedOn);
    const counted = details.contracts.filter((c) => c.signedOn >= policyStart && !beforeJoining.includes(c));
    if (counted.length === 0) {
      return {
        items: [],
        reasons: [
          before.length > 0 && beforeJoining.length === 0
            ? reason('EVENT_BEFORE_POLICY', '所有合同均签订于本措施施行之前。')
            : reason('CONDITION_NOT_MET', `没有可计入的合同：签订于本措施施行之前或企业入驻（${joinedOn ?? '—'}）之前的合同不计入。`),
        ],
      };
    }
    const notes = [
      ...(before.length > 0 ? [{ label: `不计入：${before.map((c) => c.contractNo).join('、')}`, basis: `签订日期早于本措施施行日期 ${policyStart}`, measure: measure(8) }] : []),
      ...(beforeJoining.length > 0
        ? [{ label: `不计入：${beforeJoining.map((c) => c.contractNo).join('、')}`, basis: `签订日期早于企业入驻日期 ${joinedOn}`, measure: measure(8) }]
        : []),
    ];

    const items: EntitlementItem[] = counted.map((contract) => {
      const rate = params.rate(contract.mode === 'equity' ? 'm8.equity.rate' : 'm8.transaction.rate');
      return {
        label: `${MODE_LABEL[contract.mode]}合同 ${contract.contractNo}（登记编号 ${contract.registrationNo}，${contract.counterparty}）`,
        basis: `${contract.mode === 'equity' ? '技术入股作价' : '实际交易额'} ${formatYuan(yuan(contract.amount))} × ${rate.times(100)}%`,
        measure: measure(8),
        claim: {
          benefitKey: benefitKey('contract', normaliseId(contract.registrationNo), 'tech-transaction'),
          mode: 'exclusive',
          amount: toFen(yuan(contract.amount).times(rate)),
        },
      };
    });
    return {
      reasons: [],
      items,
      ...(notes.length > 0 ? { notes } : {}),
      groupCap: {
        benefitKey: benefitKey('enterprise', uscc, 'tech-transaction', String(details.year)),
        cap: params.money('m8.cap-per-enterprise-year'),
        label: `每家企业每年最高 ${formatYuan(params.money('m8.cap-per-enterprise-year'))}`,
        measure: measure(8),
      },
    };
  },
};
