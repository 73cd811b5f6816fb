import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assess } from '../../functions/domain/assessment.js';
import { formatYuan, yuan } from '../../functions/domain/money.js';
import { protectDetails } from '../../functions/domain/personal-data.js';
import { ProgramApplication } from '../../schemas/programs.js';
import { residentId, uscc } from '../support/fixtures.js';

/** Money as the API accepts it: up to 13 integer digits, two decimals. */
const money = (maxYuan: number) => fc.integer({ min: 0, max: maxYuan * 100 }).map((fen) => formatYuan(yuan(fen).dividedBy(100)));
const person = { idNumber: residentId(), name: '测试', degree: 'phd', hiredOn: '2025-01-10', contractYears: 5, socialInsuranceMonths: 12, fullTime: true };
const circumstances = { roster: { joinedOn: '2025-01-01' }, creditRestricted: [], priorGrants: [] };

function quote(programId: string, details: unknown) {
  const parsed = ProgramApplication.parse({ programId, details });
  return assess({ programId, details: protectDetails(parsed.details, 'secret'), uscc: uscc(1), submittedOn: '2025-12-01' }, circumstances);
}

const wholeFen = (amount: string) => yuan(amount).decimalPlaces() <= 2;

describe('no award exceeds its measure’s cap, and every amount is whole fen', () => {
  it('第3条: at most 500,000', () => {
    fc.assert(
      fc.property(money(10_000_000), (paidInCapital) => {
        const { amount } = quote('startup-capital', { paidInCapital, selectedOn: '2025-06-01' });
        expect(yuan(amount).lessThanOrEqualTo(500_000) && wholeFen(amount)).toBe(true);
      }),
    );
  });

  it('第8条: at most 500,000 per enterprise and year, however many contracts', () => {
    const contract = fc.record({ amount: money(5_000_000), mode: fc.constantFrom('commissioned-development', 'transfer', 'exclusive-license', 'equity') });
    fc.assert(
      fc.property(fc.array(contract, { minLength: 1, maxLength: 20 }), (contracts) => {
        const { amount, lines } = quote('tech-transaction', {
          year: 2025,
          contracts: contracts.map((c, i) => ({ contractNo: `C-${i}`, registrationNo: `2025140500${i}`, mode: c.mode, amount: c.amount, counterparty: '大学', signedOn: '2025-03-01' })),
        });
        expect(yuan(amount).lessThanOrEqualTo(500_000) && wholeFen(amount)).toBe(true);
        for (const line of lines) expect(wholeFen(line.amount)).toBe(true);
      }),
    );
  });

  it('第10条: at most 10,000,000 and never above the provincial standard', () => {
    fc.assert(
      fc.property(money(1_000_000_000), money(100_000_000), (dealAmount, provincialStandardAmount) => {
        const { amount } = quote('first-of-kind', { agreementNo: 'A-1', agreementSignedOn: '2025-03-01', productName: '装备', buyer: '用户', dealAmount, provincialStandardAmount });
        expect(yuan(amount).lessThanOrEqualTo(10_000_000) && yuan(amount).lessThanOrEqualTo(provincialStandardAmount) && wholeFen(amount)).toBe(true);
      }),
    );
  });

  it('第11条: at most 20,000 a month; 第14条: rent at most 2,000 a month', () => {
    const months = ['2025-02', '2025-03', '2025-04'];
    fc.assert(
      fc.property(money(100_000), (monthly) => {
        const flexible = quote('talent-flexible-monthly', { person: { ...person, fullTime: false }, tier: 'A', months, monthlyAmount: monthly });
        expect(yuan(flexible.amount).lessThanOrEqualTo(20_000 * months.length)).toBe(true);
        const rent = quote('talent-housing', { person, subsidy: { type: 'rent', months, monthlyRent: monthly } });
        expect(yuan(rent.amount).lessThanOrEqualTo(2_000 * months.length) && wholeFen(rent.amount)).toBe(true);
      }),
    );
  });
});
