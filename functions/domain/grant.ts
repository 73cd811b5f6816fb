import { type Assessment, recordedClaims } from './assessment.js';
import { type PriorGrant, settle } from './benefit-ledger.js';
import { formatYuan, yuan } from './money.js';

export interface Allocation {
  benefitKey: string;
  amount: string;
}

export interface GrantSettlement {
  /** What is granted now: at most the approved amount, and at most what the ledger still allows. */
  total: string;
  /** The amounts recorded under each key: the claims' own keys, then the group ceiling's key. */
  allocations: Allocation[];
  /** Keys whose version must not have moved, though nothing is recorded under them (rent's purchase key). */
  touched: string[];
  /** True when grants recorded since the assessment made the award smaller than approved. */
  reducedByLedger: boolean;
}

/**
 * The final 就高不重复 check at grant time: the recorded claims are settled again against the grants
 * recorded now (they may have changed since the assessment), limited to the approved amount — the
 * assessed one, or lower after 核减 — and spread over the claims in order.
 */
export function settleGrant(assessment: Pick<Assessment, 'claims' | 'groupCap'>, approved: string, ledger: readonly PriorGrant[]): GrantSettlement {
  const { claims, groupCap } = recordedClaims(assessment);
  const settlement = settle(claims, groupCap, ledger, yuan(approved));
  const allocations: Allocation[] = settlement.claims
    .filter((c) => c.allocated.greaterThan(0))
    .map((c) => ({ benefitKey: c.claim.benefitKey, amount: formatYuan(c.allocated) }));
  if (groupCap && settlement.total.greaterThan(0)) allocations.push({ benefitKey: groupCap.benefitKey, amount: formatYuan(settlement.total) });
  const touched = [...new Set(claims.flatMap((c) => c.blockedBy ?? []))].filter((key) => !allocations.some((a) => a.benefitKey === key));
  return {
    total: formatYuan(settlement.total),
    allocations,
    touched,
    reducedByLedger: settlement.total.lessThan(yuan(approved)),
  };
}
