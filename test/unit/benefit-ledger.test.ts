import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LedgerMode, payableUnder } from '../../functions/domain/benefit-ledger.js';
import { settleGrant } from '../../functions/domain/grant.js';
import { formatYuan, sumYuan, yuan } from '../../functions/domain/money.js';

const fen = fc.integer({ min: 0, max: 100_000_000 }).map((n) => yuan(n).dividedBy(100));

describe('就高不重复 modes', () => {
  it('top-up pays the difference, exclusive pays once, capped stops at the ceiling', () => {
    const claim = (mode: LedgerMode, amount: string, cap?: string) => ({ benefitKey: 'k', mode, amount: yuan(amount), ...(cap ? { cap: yuan(cap) } : {}) });
    expect(formatYuan(payableUnder(claim('top-up', '1000000'), yuan('500000')))).toBe('500000.00');
    expect(formatYuan(payableUnder(claim('top-up', '500000'), yuan('1000000')))).toBe('0.00');
    expect(formatYuan(payableUnder(claim('exclusive', '3000'), yuan('0')))).toBe('3000.00');
    expect(formatYuan(payableUnder(claim('exclusive', '3000'), yuan('0.01')))).toBe('0.00');
    expect(formatYuan(payableUnder(claim('capped', '200000', '500000'), yuan('400000')))).toBe('100000.00');
    expect(formatYuan(payableUnder(claim('capped', '200000', '500000'), yuan('500000.01')))).toBe('0.00');
  });

  it('never lets a sequence of grants under one key exceed what its mode allows', () => {
    fc.assert(
      fc.property(fc.constantFrom<LedgerMode>('top-up', 'exclusive', 'capped'), fc.array(fen, { minLength: 1, maxLength: 8 }), fen, (mode, entitlements, cap) => {
        let paid = yuan(0);
        for (const amount of entitlements) paid = paid.plus(payableUnder({ benefitKey: 'k', mode, amount, cap }, paid));
        const highest = entitlements.reduce((a, b) => (a.greaterThan(b) ? a : b));
        if (mode === 'top-up') expect(paid.equals(highest)).toBe(true);
        // Exclusive: the first grant that pays anything is the only one.
        if (mode === 'exclusive') expect(paid.equals(entitlements.find((x) => !x.isZero()) ?? yuan(0))).toBe(true);
        if (mode === 'capped') expect(paid.lessThanOrEqualTo(cap)).toBe(true);
        expect(paid.decimalPlaces()).toBeLessThanOrEqual(2);
      }),
    );
  });
});

describe('settling a grant against the ledger as it is at grant time', () => {
  const claim = { benefitKey: 'platform:P:construction', mode: 'top-up' as const, entitlement: '500000.00', priorTotal: '0.00', payable: '500000.00' };

  it('pays the approved amount when nothing changed', () => {
    expect(settleGrant({ claims: [claim] }, '450000.00', [])).toEqual({
      total: '450000.00',
      allocations: [{ benefitKey: claim.benefitKey, amount: '450000.00' }],
      touched: [],
      reducedByLedger: false,
    });
  });

  it('pays only what is left when a grant landed meanwhile, and nothing when it covers all', () => {
    const landed = (amount: string) => [{ benefitKey: claim.benefitKey, grantId: 'g', amount, policy: 'other', grantedOn: '2025-01-01' }];
    expect(settleGrant({ claims: [claim] }, '500000.00', landed('200000.00'))).toMatchObject({ total: '300000.00', reducedByLedger: true });
    expect(settleGrant({ claims: [claim] }, '500000.00', landed('500000.00'))).toMatchObject({ total: '0.00', allocations: [] });
  });

  it('never grants more than approved, whatever the ledger holds', () => {
    fc.assert(
      fc.property(fen, fen, (approved, prior) => {
        const entitlement = formatYuan(yuan(approved).plus(1));
        const result = settleGrant({ claims: [{ ...claim, entitlement, payable: entitlement }] }, formatYuan(approved), [
          { benefitKey: claim.benefitKey, grantId: 'g', amount: formatYuan(prior), policy: 'x', grantedOn: '2025-01-01' },
        ]);
        expect(yuan(result.total).lessThanOrEqualTo(approved)).toBe(true);
        expect(yuan(result.total).plus(prior).lessThanOrEqualTo(yuan(entitlement)) || yuan(result.total).isZero()).toBe(true);
        expect(sumYuan(result.allocations.map((a) => yuan(a.amount))).equals(yuan(result.total))).toBe(true);
      }),
    );
  });
});
