import { type Yuan, ZERO, maxYuan, minYuan, sumYuan, toFen, yuan } from './money.js';
import type { SubjectType } from './vocabulary.js';

/**
 * 就高不重复 (highest standard, never twice): every grant is recorded under a benefit key
 * `subjectType:subjectId:category[:period]`; an award computed as X under a key whose recorded grants
 * sum to P pays, by the key's mode:
 * - top-up:    max(0, X − P)          (one-off awards; an upgrade pays the difference)
 * - exclusive: X if P = 0, else 0     (per-period and per-contract keys)
 * - capped:    min(X, max(0, C − P))  (a ceiling C per period)
 */
export type LedgerMode = 'top-up' | 'exclusive' | 'capped';


export function benefitKey(subjectType: SubjectType, subjectId: string, category: string, period?: string): string {
  return [subjectType, subjectId, category, ...(period === undefined ? [] : [period])].join(':');
}

/** The subject part of a key (`person:<personKey>`), under which all its grants can be read at once. */
export function subjectOf(key: string): string {
  return key.split(':').slice(0, 2).join(':');
}

/** One award's claim on one benefit key. */
export interface BenefitClaim {
  benefitKey: string;
  mode: LedgerMode;
  /** The entitlement X before prior grants. */
  amount: Yuan;
  /** The ceiling C of a capped key. */
  cap?: Yuan;
  /** Grants under keys starting with these prefixes count toward P too (rent toward purchase, 第14条). */
  alsoCounts?: string[];
  /** Nothing is payable once a grant is recorded under one of these keys (rent after purchase, 第14条). */
  blockedBy?: string[];
}

/** A ceiling over the sum of all of an award's claims: `enterprise:<uscc>:tech-transaction:<year>`. */
export interface GroupCap {
  benefitKey: string;
  cap: Yuan;
}

/** Who made a grant. Only the city's own (市级, 县(市、区)级) count for 就高不重复 (POLICY.md §5.1). */
export const GRANT_LEVELS = ['national', 'provincial', 'municipal', 'county'] as const;
export type GrantLevel = (typeof GRANT_LEVELS)[number];

/** A grant already recorded under a key: by this system, or imported from another policy. */
export interface PriorGrant {
  benefitKey: string;
  grantId: string;
  amount: string;
  policy: string;
  grantedOn: string;
  /** Absent on grants recorded before levels existed: read as municipal, the level of this policy. */
  level?: GrantLevel;
  /** The enterprise the grant was made to, where known (grants of this system). */
  uscc?: string;
}

/** "本市各级其他同类政策": national and provincial grants are inputs to some measures, never deductions. */
export function countsForLedger(grant: Pick<PriorGrant, 'level'>): boolean {
  return grant.level !== 'national' && grant.level !== 'provincial';
}

export function payableUnder(claim: Pick<BenefitClaim, 'benefitKey' | 'mode' | 'amount' | 'cap'>, priorTotal: Yuan): Yuan {
  switch (claim.mode) {
    case 'top-up':
      return maxYuan(ZERO, claim.amount.minus(priorTotal));
    case 'exclusive':
      return priorTotal.isZero() ? claim.amount : ZERO;
    case 'capped': {
      if (!claim.cap) throw new Error(`Capped benefit key ${claim.benefitKey} has no cap`);
      return minYuan(claim.amount, maxYuan(ZERO, claim.cap.minus(priorTotal)));
    }
  }
}

/** The keys an award must read before it is settled: exact keys, and prefixes of keys. */
export function ledgerReads(claims: readonly BenefitClaim[], groupCap?: GroupCap): { keys: string[]; prefixes: string[] } {
  const keys = new Set<string>();
  const prefixes = new Set<string>();
  for (const claim of claims) {
    keys.add(claim.benefitKey);
    for (const key of claim.blockedBy ?? []) keys.add(key);
    for (const prefix of claim.alsoCounts ?? []) prefixes.add(prefix);
  }
  if (groupCap) keys.add(groupCap.benefitKey);
  return { keys: [...keys], prefixes: [...prefixes] };
}

export interface ClaimSettlement {
  claim: BenefitClaim;
  priorTotal: Yuan;
  /** The grants that reduced this claim (empty when it pays in full). */
  reducedBy: PriorGrant[];
  /** Payable under the claim's own key and mode. */
  payable: Yuan;
  /** After the group cap: what this claim actually takes. */
  allocated: Yuan;
}

export interface Settlement {
  claims: ClaimSettlement[];
  groupCap?: { benefitKey: string; cap: Yuan; priorTotal: Yuan; reducedBy: PriorGrant[]; allowed: Yuan };
  total: Yuan;
}

/**
 * Applies 就高不重复 to an award's claims against the grants recorded now: each claim by its own key
 * and mode, then the group ceiling over their sum, spread over the claims in order. Every amount is
 * whole fen. The same function serves the 政策计算器, the Assess step and the Grant step.
 */
export function settle(claims: readonly BenefitClaim[], groupCap: GroupCap | undefined, ledger: readonly PriorGrant[], limit?: Yuan): Settlement {
  const under = (test: (key: string) => boolean) => ledger.filter((grant) => countsForLedger(grant) && test(grant.benefitKey));
  const settled = claims.map((claim) => {
    const counted = under((key) => key === claim.benefitKey || (claim.alsoCounts ?? []).some((prefix) => key.startsWith(prefix)));
    const blockers = under((key) => (claim.blockedBy ?? []).includes(key)).filter((grant) => !yuan(grant.amount).isZero());
    const priorTotal = sumYuan(counted.map((grant) => yuan(grant.amount)));
    const payable = blockers.length > 0 ? ZERO : toFen(payableUnder(claim, priorTotal));
    const reduced = payable.lessThan(claim.amount);
    return { claim, priorTotal, reducedBy: reduced ? [...counted, ...blockers] : [], payable, allocated: payable };
  });

  let allowed = sumYuan(settled.map((s) => s.payable));
  let cap: Settlement['groupCap'];
  if (groupCap) {
    const counted = under((key) => key === groupCap.benefitKey);
    const priorTotal = sumYuan(counted.map((grant) => yuan(grant.amount)));
    const capped = minYuan(allowed, maxYuan(ZERO, groupCap.cap.minus(priorTotal)));
    cap = { ...groupCap, priorTotal, reducedBy: capped.lessThan(allowed) ? counted : [], allowed: capped };
    allowed = capped;
  }
  if (limit && limit.lessThan(allowed)) allowed = limit;

  let remaining = allowed;
  for (const s of settled) {
    s.allocated = minYuan(s.payable, remaining);
    remaining = remaining.minus(s.allocated);
  }
  return { claims: settled, ...(cap ? { groupCap: cap } : {}), total: allowed };
}

