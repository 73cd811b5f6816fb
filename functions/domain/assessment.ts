import { VALUE_LABELS } from './labels.js';
import { type BenefitClaim, type LedgerMode, type PriorGrant, ledgerReads, settle } from './benefit-ledger.js';
import { ZERO, formatYuan, yuan } from './money.js';
import { DEFAULT_PARAMETERS } from './parameter-defaults.js';
import { type ParameterTable, type ParameterUsed, ParametersInForce } from './parameters.js';
import { POLICY_DOCUMENT } from './policy.js';
import type { ReviewingDepartment } from './vocabulary.js';
import { programOf } from './programs/index.js';
import { type Reason, reason } from './reasons.js';

/** What is being assessed: one application's program and details, for one enterprise, on one date. */
export interface Claimant {
  programId: string;
  details: unknown;
  uscc: string;
  /** YYYY-MM-DD */
  submittedOn: string;
}

/** What the store knows about the claimant when it is assessed. */
export interface Circumstances {
  /** The park roster entry (入驻主体名录), if the enterprise is on it. */
  roster: { joinedOn: string } | undefined;
  /** Subjects on the 严重失信主体名单: `enterprise:<uscc>`, `person:<personKey>`. */
  creditRestricted: readonly string[];
  /** Grants recorded under the keys the award reads (see ledgerReadsOf). */
  priorGrants: readonly PriorGrant[];
}

export interface QuoteLine {
  label: string;
  basis: string;
  amount: string;
  measure: string;
}

/** The contract's Quote: the 政策计算器's answer, and the visible part of an assessment. */
export interface Quote {
  programId: string;
  eligible: boolean;
  amount: string;
  currency: 'CNY';
  lines: QuoteLine[];
  /** `explanation` says in words what the grant covered and what it does to this award. */
  priorGrants: { benefitKey: string; amount: string; policy: string; explanation?: string }[];
  reasons: Reason[];
}

/** A claim as recorded on the assessment: enough for Grant to settle it again against the ledger. */
export interface SettledClaim {
  benefitKey: string;
  mode: LedgerMode;
  cap?: string;
  alsoCounts?: string[];
  blockedBy?: string[];
  entitlement: string;
  priorTotal: string;
  payable: string;
}

export interface Assessment extends Quote {
  department: ReviewingDepartment;
  /** Subjects checked against the 严重失信 list: checked again at Grant and at batch time (§5.8). */
  creditSubjects?: string[];
  submittedOn: string;
  claims: SettledClaim[];
  groupCap?: { benefitKey: string; cap: string; priorTotal: string; allowed: string };
  parametersUsed: ParameterUsed[];
}

const LEDGER_RULE = `${POLICY_DOCUMENT} 就高不重复`;

/** What the store must read before assessing: ledger keys and prefixes, and the subjects to check for 失信. */
export function assessmentReads(claimant: Claimant, table: ParameterTable = DEFAULT_PARAMETERS) {
  const program = programOf(claimant.programId);
  const entitlement = program.entitle(claimant.details, { ...claimant, params: new ParametersInForce(table, claimant.submittedOn) });
  return {
    ...ledgerReads(entitlement.items.map((item) => item.claim), entitlement.groupCap),
    creditSubjects: assessmentReadsOf(claimant.uscc, entitlement.personKey),
  };
}

function assessmentReadsOf(uscc: string, personKey: string | undefined): string[] {
  return [`enterprise:${uscc}`, ...(personKey ? [`person:${personKey}`] : [])];
}

/** A key as people may read it: a person's key never leaves the system (it is a hash of their ID number). */
const describeKey = (key: string): string => key.replace(/^person:[^:]+/, 'person:*');

/** 20000.00 → "2万元", 12345.67 → "12,345.67元": amounts as a letter to an enterprise writes them. */
function wan(amount: string): string {
  const value = yuan(amount);
  if (value.greaterThanOrEqualTo(10_000) && value.mod(100).isZero()) return `${value.div(10_000).toString()}万元`;
  return `${formatYuan(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}元`;
}

/**
 * A prior grant in words, from its benefit key (`subjectType:subjectId:category[:period]`): "该技术合同已由
 * “晋城市其他科技政策”支持 2万元，按就高不重复，本项不再重复支持这部分".
 */
export function explainPriorGrant(benefitKey: string, amount: string, policy: string): string {
  const [subjectType = '', , , period] = benefitKey.split(':');
  const subject = subjectType === 'person' ? '人员' : (VALUE_LABELS[subjectType] ?? '事项');
  return `该${subject}${period ? `（${period}）` : ''}已由“${policy}”支持 ${wan(amount)}，按就高不重复，本项不再重复支持这部分`;
}

/**
 * The prior grants a quote may show. A person's grants made to this enterprise are shown without the
 * person key; grants made to anyone else show only that an amount was deducted, not what or from whom.
 */
function visiblePriorGrants(grants: readonly PriorGrant[], uscc: string): Quote['priorGrants'] {
  const shown: Quote['priorGrants'] = [];
  let hidden = ZERO;
  for (const grant of grants) {
    const explanation = explainPriorGrant(grant.benefitKey, grant.amount, grant.policy);
    if (!grant.benefitKey.startsWith('person:')) shown.push({ benefitKey: grant.benefitKey, amount: grant.amount, policy: grant.policy, explanation });
    else if (grant.uscc === uscc) shown.push({ benefitKey: describeKey(grant.benefitKey), amount: grant.amount, policy: grant.policy, explanation });
    else hidden = hidden.plus(yuan(grant.amount));
  }
  if (hidden.greaterThan(ZERO)) {
    const amount = formatYuan(hidden);
    shown.push({ benefitKey: 'person:*', amount, policy: '已享受的同类支持（不显示来源）', explanation: `该人员已享受同类支持 ${wan(amount)}，按就高不重复，本项扣减这部分` });
  }
  return shown;
}

/**
 * The whole assessment: policy window, park roster, credit list, the measure's own conditions and
 * amount, then 就高不重复 against the grants already recorded. Pure: the same inputs give the same answer,
 * for the 政策计算器 and for the workflow's Assess step alike.
 */
export function assess(claimant: Claimant, circumstances: Circumstances, table: ParameterTable = DEFAULT_PARAMETERS): Assessment {
  const program = programOf(claimant.programId);
  const params = new ParametersInForce(table, claimant.submittedOn);
  const reasons: Reason[] = [];

  const from = params.get('policy.in-force-from');
  const until = params.get('policy.in-force-until');
  if (claimant.submittedOn < from || claimant.submittedOn > until) {
    reasons.push(reason('POLICY_NOT_IN_FORCE', `申请日期 ${claimant.submittedOn} 不在本措施有效期（${from} 至 ${until}）内。`));
  }
  if (!circumstances.roster || circumstances.roster.joinedOn > claimant.submittedOn) {
    reasons.push(reason('SUBJECT_NOT_IN_PARK', `统一社会信用代码 ${claimant.uscc} 不在“晋创谷·晋城”入驻主体名录中。`));
  }
  const entitlement = program.entitle(claimant.details, { ...claimant, params, ...(circumstances.roster ? { joinedOn: circumstances.roster.joinedOn } : {}) });
  if (circumstances.creditRestricted.includes(`enterprise:${claimant.uscc}`)) {
    reasons.push(reason('CREDIT_RESTRICTED', '申请主体列入严重失信主体名单，限制申请财政性资金项目。'));
  }
  if (entitlement.personKey && circumstances.creditRestricted.includes(`person:${entitlement.personKey}`)) {
    reasons.push(reason('CREDIT_RESTRICTED', '申请所涉人员列入严重失信主体名单，限制申请财政性资金项目。'));
  }
  reasons.push(...entitlement.reasons);

  const claims: BenefitClaim[] = entitlement.items.map((item) => item.claim);
  const settlement = settle(claims, entitlement.groupCap, circumstances.priorGrants);

  const lines: QuoteLine[] = [];
  const reducedBy: PriorGrant[] = [];
  entitlement.items.forEach((item, i) => {
    const settled = settlement.claims[i]!;
    lines.push({ label: item.label, basis: item.basis, amount: formatYuan(item.claim.amount), measure: item.measure });
    const deduction = item.claim.amount.minus(settled.payable);
    if (deduction.greaterThan(ZERO)) {
      lines.push({
        label: '就高不重复：扣除已获同类支持',
        basis: `${describeKey(item.claim.benefitKey)} 已记录 ${formatYuan(settled.priorTotal)}`,
        amount: formatYuan(deduction.negated()),
        measure: LEDGER_RULE,
      });
      reducedBy.push(...settled.reducedBy);
    }
  });
  for (const note of entitlement.notes ?? []) lines.push({ ...note, amount: '0.00' });
  const beforeCap = settlement.claims.reduce((sum, c) => sum.plus(c.payable), ZERO);
  if (entitlement.groupCap && settlement.groupCap && settlement.total.lessThan(beforeCap)) {
    const { label, measure, cap } = entitlement.groupCap;
    lines.push({
      label,
      basis: `上限 ${formatYuan(cap)}，已记录 ${formatYuan(settlement.groupCap.priorTotal)}`,
      amount: formatYuan(settlement.total.minus(beforeCap)),
      measure,
    });
    reducedBy.push(...settlement.groupCap.reducedBy);
  }

  if (reasons.length === 0 && settlement.total.isZero()) {
    const capReached = settlement.groupCap && settlement.groupCap.allowed.isZero() && beforeCap.greaterThan(ZERO);
    // ALREADY_GRANTED only when a prior grant is what took the award to 0 (§5.12).
    reasons.push(
      capReached
        ? reason('CAP_REACHED', '已达到本措施的支持上限，不再给予支持。')
        : reducedBy.length > 0
          ? reason('ALREADY_GRANTED', '该事项已获得同等或更高标准的支持（就高不重复）。')
          : reason('CONDITION_NOT_MET', '按所填情况计算的支持金额为零。'),
    );
  }
  const eligible = reasons.length === 0;

  return {
    programId: claimant.programId,
    eligible,
    amount: eligible ? formatYuan(settlement.total) : '0.00',
    currency: 'CNY',
    lines,
    priorGrants: visiblePriorGrants(unique(reducedBy), claimant.uscc),
    reasons,
    department: program.department,
    creditSubjects: assessmentReadsOf(claimant.uscc, entitlement.personKey),
    submittedOn: claimant.submittedOn,
    claims: settlement.claims.map(({ claim, priorTotal, allocated }) => ({
      benefitKey: claim.benefitKey,
      mode: claim.mode,
      ...(claim.cap ? { cap: formatYuan(claim.cap) } : {}),
      ...(claim.alsoCounts ? { alsoCounts: claim.alsoCounts } : {}),
      ...(claim.blockedBy ? { blockedBy: claim.blockedBy } : {}),
      entitlement: formatYuan(claim.amount),
      priorTotal: formatYuan(priorTotal),
      payable: formatYuan(allocated),
    })),
    ...(settlement.groupCap
      ? {
          groupCap: {
            benefitKey: settlement.groupCap.benefitKey,
            cap: formatYuan(settlement.groupCap.cap),
            priorTotal: formatYuan(settlement.groupCap.priorTotal),
            allowed: formatYuan(settlement.groupCap.allowed),
          },
        }
      : {}),
    parametersUsed: params.used(),
  };
}

function unique(grants: PriorGrant[]): PriorGrant[] {
  const seen = new Map<string, PriorGrant>();
  for (const grant of grants) seen.set(`${grant.benefitKey}#${grant.grantId}`, grant);
  return [...seen.values()];
}

/** The contract's Quote view of an assessment. */
export function toQuote(assessment: Assessment): Quote {
  const { programId, eligible, amount, currency, lines, priorGrants, reasons } = assessment;
  return { programId, eligible, amount, currency, lines, priorGrants, reasons };
}

/** Rebuilds the claims recorded on an assessment, for Grant to settle them again. */
export function recordedClaims(assessment: Pick<Assessment, 'claims' | 'groupCap'>): { claims: BenefitClaim[]; groupCap?: { benefitKey: string; cap: ReturnType<typeof yuan> } } {
  return {
    claims: assessment.claims.map((c) => ({
      benefitKey: c.benefitKey,
      mode: c.mode,
      amount: yuan(c.entitlement),
      ...(c.cap ? { cap: yuan(c.cap) } : {}),
      ...(c.alsoCounts ? { alsoCounts: c.alsoCounts } : {}),
      ...(c.blockedBy ? { blockedBy: c.blockedBy } : {}),
    })),
    ...(assessment.groupCap ? { groupCap: { benefitKey: assessment.groupCap.benefitKey, cap: yuan(assessment.groupCap.cap) } } : {}),
  };
}
