import { type Yuan, ZERO, maxYuan, minYuan } from './money.js';

/**
 * 就高不重复 (highest standard, never twice): every grant is recorded under a benefit key
 * `subjectType:subjectId:category[:period]`; an award computed as X under a key whose recorded grants
 * sum to P pays, by the key's mode:
 * - top-up:    max(0, X − P)          (one-off awards; an upgrade pays the difference)
 * - exclusive: X if P = 0, else 0     (per-period and per-contract keys)
 * - capped:    min(X, max(0, C − P))  (a ceiling C per period)
 */
export type LedgerMode = 'top-up' | 'exclusive' | 'capped';

export type SubjectType = 'enterprise' | 'person' | 'platform' | 'contract' | 'project' | 'agreement' | 'team';

export function benefitKey(subjectType: SubjectType, subjectId: string, category: string, period?: string): string {
  return [subjectType, subjectId, category, ...(period === undefined ? [] : [period])].join(':');
}

/** One award's claim on one benefit key. */
export interface BenefitClaim {
  benefitKey: string;
  mode: LedgerMode;
  /** The entitlement X before prior grants. */
  amount: Yuan;
  /** The ceiling C of a capped key. */
  cap?: Yuan;
}

/** A grant already recorded under a key: by this system, or imported from another policy. */
export interface PriorGrant {
  benefitKey: string;
  grantId: string;
  amount: string;
  policy: string;
  grantedOn: string;
}

export function payableUnder(claim: BenefitClaim, priorTotal: Yuan): Yuan {
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
