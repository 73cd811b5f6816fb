import type { SettledClaim } from './assessment.js';
import { type PriorGrant, payableUnder } from './benefit-ledger.js';
import { ZERO, type Yuan, formatYuan, minYuan, sumYuan, toFen, yuan } from './money.js';

export interface Allocation {
  benefitKey: string;
  amount: string;
}

export interface GrantSettlement {
  /** What is granted now: at most the approved amount, and at most what the ledger still allows. */
  total: string;
  allocations: Allocation[];
  /** True when grants recorded since the assessment made the award smaller than approved. */
  reducedByLedger: boolean;
}

/**
 * The final 就高不重复 check at grant time: each claim is recomputed against the grants recorded under
 * its key now (they may have changed since the assessment), and the approved amount — the assessed one,
 * or lower after 核减 — is spread over the claims in order.
 */
export function settleGrant(claims: readonly SettledClaim[], approved: string, ledger: readonly PriorGrant[]): GrantSettlement {
  let remaining: Yuan = yuan(approved);
  let reducedByLedger = false;
  const allocations: Allocation[] = [];
  for (const claim of claims) {
    const prior = sumYuan(ledger.filter((g) => g.benefitKey === claim.benefitKey).map((g) => yuan(g.amount)));
    const payableNow = toFen(
      payableUnder(
        { benefitKey: claim.benefitKey, mode: claim.mode, amount: yuan(claim.entitlement), ...(claim.cap ? { cap: yuan(claim.cap) } : {}) },
        prior,
      ),
    );
    if (payableNow.lessThan(yuan(claim.payable))) reducedByLedger = true;
    const amount = minYuan(payableNow, remaining);
    remaining = remaining.minus(amount);
    if (amount.greaterThan(ZERO)) allocations.push({ benefitKey: claim.benefitKey, amount: formatYuan(amount) });
  }
  const total = sumYuan(allocations.map((a) => yuan(a.amount)));
  return { total: formatYuan(total), allocations, reducedByLedger: reducedByLedger && total.lessThan(yuan(approved)) };
}
