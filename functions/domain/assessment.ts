import { type BenefitClaim, type PriorGrant, payableUnder } from './benefit-ledger.js';
import { ZERO, formatYuan, sumYuan, toFen, yuan } from './money.js';
import { DEFAULT_PARAMETERS } from './parameter-defaults.js';
import { type ParameterTable, type ParameterUsed, ParametersInForce } from './parameters.js';
import { POLICY_DOCUMENT, type ReviewingDepartment } from './policy.js';
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
  /** On the 严重失信主体名单 (enterprise, or the person a talent application is about). */
  creditRestricted: boolean;
  /** Grants already recorded under the benefit keys the award claims. */
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
  priorGrants: { benefitKey: string; amount: string; policy: string }[];
  reasons: Reason[];
}

/** A claim after 就高不重复: what the key had, and what this award may still take from it. */
export interface SettledClaim {
  benefitKey: string;
  mode: BenefitClaim['mode'];
  cap?: string;
  entitlement: string;
  priorTotal: string;
  payable: string;
}

export interface Assessment extends Quote {
  department: ReviewingDepartment;
  submittedOn: string;
  claims: SettledClaim[];
  parametersUsed: ParameterUsed[];
}

const LEDGER_RULE = `${POLICY_DOCUMENT} 就高不重复`;

/** The benefit keys an application claims, so that the store can read their grants before assessing. */
export function claimedBenefitKeys(claimant: Claimant, table: ParameterTable = DEFAULT_PARAMETERS): string[] {
  const program = programOf(claimant.programId);
  const params = new ParametersInForce(table, claimant.submittedOn);
  const { items } = program.entitle(claimant.details, { ...claimant, params });
  return [...new Set(items.map((item) => item.claim.benefitKey))];
}

/**
 * The whole assessment: policy window, park roster, credit list, the measure's own conditions and
 * amount, then 就高不重复 against the grants already recorded. Pure: the same inputs give the same answer,
 * for the 政策计算器 and for the workflow's Assess and Grant steps alike.
 */
export function assess(
  claimant: Claimant,
  circumstances: Circumstances,
  table: ParameterTable = DEFAULT_PARAMETERS,
): Assessment {
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
  if (circumstances.creditRestricted) {
    reasons.push(reason('CREDIT_RESTRICTED', '申请主体列入严重失信主体名单，限制申请财政性资金项目。'));
  }

  const entitlement = program.entitle(claimant.details, { ...claimant, params });
  reasons.push(...entitlement.reasons);

  const lines: QuoteLine[] = [];
  const claims: SettledClaim[] = [];
  const reducedBy = new Map<string, PriorGrant[]>();
  for (const item of entitlement.items) {
    const { claim } = item;
    const prior = circumstances.priorGrants.filter((grant) => grant.benefitKey === claim.benefitKey);
    const priorTotal = sumYuan(prior.map((grant) => yuan(grant.amount)));
    const payable = toFen(payableUnder(claim, priorTotal));
    lines.push({ label: item.label, basis: item.basis, amount: formatYuan(claim.amount), measure: item.measure });
    const deduction = claim.amount.minus(payable);
    if (deduction.greaterThan(ZERO)) {
      lines.push({
        label: '就高不重复：扣除已获同类支持',
        basis: `${claim.benefitKey} 已记录 ${formatYuan(priorTotal)}（${modeLabel(claim)}）`,
        amount: formatYuan(deduction.negated()),
        measure: LEDGER_RULE,
      });
      reducedBy.set(claim.benefitKey, prior);
    }
    claims.push({
      benefitKey: claim.benefitKey,
      mode: claim.mode,
      ...(claim.cap ? { cap: formatYuan(claim.cap) } : {}),
      entitlement: formatYuan(claim.amount),
      priorTotal: formatYuan(priorTotal),
      payable: formatYuan(payable),
    });
  }

  const amount = sumYuan(claims.map((claim) => yuan(claim.payable)));
  if (reasons.length === 0 && amount.isZero() && claims.length > 0) {
    const capped = entitlement.items.some((item) => item.claim.mode === 'capped');
    reasons.push(
      capped
        ? reason('CAP_REACHED', '该事项已达到本措施的支持上限，不再给予支持。')
        : reason('ALREADY_GRANTED', '该事项已获得同等或更高标准的支持（就高不重复）。'),
    );
  }
  const eligible = reasons.length === 0;

  return {
    programId: claimant.programId,
    eligible,
    amount: eligible ? formatYuan(amount) : '0.00',
    currency: 'CNY',
    lines,
    priorGrants: [...reducedBy.values()].flat().map(({ benefitKey, amount: granted, policy }) => ({
      benefitKey,
      amount: granted,
      policy,
    })),
    reasons,
    department: program.department,
    submittedOn: claimant.submittedOn,
    claims,
    parametersUsed: params.used(),
  };
}

/** The contract's Quote view of an assessment. */
export function toQuote(assessment: Assessment): Quote {
  const { programId, eligible, amount, currency, lines, priorGrants, reasons } = assessment;
  return { programId, eligible, amount, currency, lines, priorGrants, reasons };
}

function modeLabel(claim: BenefitClaim): string {
  switch (claim.mode) {
    case 'top-up':
      return '就高补差';
    case 'exclusive':
      return '同一事项不重复';
    case 'capped':
      return `上限 ${formatYuan(claim.cap ?? ZERO)}`;
  }
}
