import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assess } from '../../functions/domain/assessment.js';
import type { PriorGrant } from '../../functions/domain/benefit-ledger.js';
import { settleGrant } from '../../functions/domain/grant.js';
import { type Yuan, ZERO, formatYuan, yuan } from '../../functions/domain/money.js';
import { protectDetails } from '../../functions/domain/personal-data.js';
import { ProgramApplication } from '../../schemas/programs.js';
import { residentId, uscc } from '../support/fixtures.js';

/**
 * 就高不重复 across programs and enterprises: any two applications about one person or one subject are
 * granted one after the other, each against what the first left in the ledger, exactly as the Grant
 * step does; what both together were paid never exceeds what the text allows for that person or subject.
 */
const SECRET = 'two-applications';
const SUBMITTED = '2026-03-15';

interface Application {
  programId: string;
  details: unknown;
  uscc: string;
}

/** Grants the applications in order; returns every allocation recorded. */
function grantInOrder(applications: readonly Application[]): PriorGrant[] {
  const ledger: PriorGrant[] = [];
  applications.forEach((application, i) => {
    const parsed = ProgramApplication.parse({ programId: application.programId, details: application.details });
    const details = protectDetails(parsed.details, SECRET);
    const assessment = assess(
      { programId: application.programId, details, uscc: application.uscc, submittedOn: SUBMITTED },
      { roster: { joinedOn: '2024-12-02' }, creditRestricted: [], priorGrants: ledger },
    );
    if (!assessment.eligible) return;
    const settlement = settleGrant(assessment, assessment.amount, ledger);
    for (const allocation of settlement.allocations) {
      ledger.push({ ...allocation, grantId: `app-${i}`, policy: '晋市政办〔2024〕39号', grantedOn: SUBMITTED, level: 'municipal', uscc: application.uscc });
    }
  });
  return ledger;
}

const total = (grants: readonly PriorGrant[], test: (key: string) => boolean): Yuan =>
  grants.filter((g) => test(g.benefitKey)).reduce((sum, g) => sum.plus(yuan(g.amount)), ZERO);

const enterprise = fc.integer({ min: 1, max: 3 }).map(uscc);
const months = fc.subarray(['2025-06', '2025-07', '2025-08', '2025-09', '2025-10'], { minLength: 1 });
const money = (max: number) => fc.integer({ min: 1, max: max * 100 }).map((fen) => formatYuan(yuan(fen).dividedBy(100)));

describe('two applications of one person, across programs and employers', () => {
  const person = (fullTime: boolean, degree: string) => ({
    idNumber: residentId(),
    name: '李人才',
    degree,
    hiredOn: '2025-05-10',
    contractYears: 5,
    socialInsuranceMonths: 8,
    fullTime,
  });
  const talentApplication: fc.Arbitrary<Omit<Application, 'uscc'>> = fc.oneof(
    fc.record({ fullTime: fc.boolean(), tier: fc.constantFrom('A', 'B', 'C', 'D', 'E'), degree: fc.constantFrom('phd', 'master', 'bachelor') }).map(({ fullTime, tier, degree }) => ({
      programId: 'talent-introduction',
      details: { person: person(fullTime, degree), tier, mode: fullTime ? 'full-time' : 'flexible' },
    })),
    fc.record({ fullTime: fc.boolean(), months, amount: money(40_000), tier: fc.constantFrom('A', 'C', 'E') }).map(({ fullTime, months, amount, tier }) => ({
      programId: 'talent-flexible-monthly',
      details: { person: person(fullTime, 'phd'), tier, months, monthlyAmount: amount },
    })),
    fc.record({ months, degree: fc.constantFrom('phd', 'master', 'bachelor') }).map(({ months, degree }) => ({
      programId: 'talent-living-allowance',
      details: { person: person(true, degree), months },
    })),
    fc.record({ months, rent: money(5_000) }).map(({ months, rent }) => ({
      programId: 'talent-housing',
      details: { person: person(true, 'phd'), subsidy: { type: 'rent', months, monthlyRent: rent } },
    })),
    fc.record({ tierA: fc.boolean(), degree: fc.constantFrom('phd', 'master', 'bachelor') }).map(({ tierA, degree }) => ({
      programId: 'talent-housing',
      details: { person: person(true, degree), ...(tierA ? { tier: 'A' } : {}), subsidy: { type: 'purchase', purchaseContractDate: '2025-09-01', purchaseContractNo: 'H-1' } },
    })),
  );

  it('introduction ≤ 200,000; one monthly subsidy a month (≤ 20,000); housing ≤ 350,000 with rent ≤ 2,000 a month', () => {
    fc.assert(
      fc.property(talentApplication, talentApplication, enterprise, enterprise, (a, b, ua, ub) => {
        const ledger = grantInOrder([
          { ...a, uscc: ua },
          { ...b, uscc: ub },
        ]);
        expect(total(ledger, (k) => k.endsWith(':talent-introduction')).lessThanOrEqualTo(200_000)).toBe(true);
        for (const month of ['2025-06', '2025-07', '2025-08', '2025-09', '2025-10']) {
          const monthly = ledger.filter((g) => /:(flexible-monthly|living-allowance):/.test(g.benefitKey) && g.benefitKey.endsWith(month));
          expect(monthly.length).toBeLessThanOrEqual(1);
          expect(total(monthly, () => true).lessThanOrEqualTo(20_000)).toBe(true);
          expect(total(ledger, (k) => k.endsWith(`:housing-rent:${month}`)).lessThanOrEqualTo(2_000)).toBe(true);
        }
        expect(total(ledger, (k) => /:housing(-rent:.*)?$/.test(k)).lessThanOrEqualTo(350_000)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('two applications of one subject, written differently, by any enterprises', () => {
  /** Spellings of one id: case, full width, spaces, punctuation. */
  const spelling = (id: string) =>
    fc.constantFrom(id, id.toLowerCase(), id.replace(/[A-Z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)), `${id}.`, `${id}/`, id.split('').join(' '));

  it('第4–6条: one platform (official name) gets at most 1,000,000 for construction', () => {
    const kind = fc.constantFrom('national-key-lab', 'provincial-key-lab', 'municipal-tech-innovation-center', 'provincial-lab');
    const application = fc.record({ name: spelling('ABC先进材料实验室'), id: spelling('VAR-1'), kind, who: enterprise }).map(({ name, id, kind, who }) => ({
      programId: 'platform-award',
      uscc: who,
      details: { platformId: id.replace(/\s/g, '') || 'X', platformName: name, kind, approvedOn: '2025-06-01' },
    }));
    fc.assert(
      fc.property(application, application, (a, b) => {
        const ledger = grantInOrder([a, b]);
        expect(total(ledger, (k) => k.endsWith(':construction')).lessThanOrEqualTo(1_000_000)).toBe(true);
        expect(new Set(ledger.map((g) => g.benefitKey)).size).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });

  it('第8条: one registered contract is paid at most 20 % of its amount, whoever claims it', () => {
    const application = fc.record({ reg: spelling('2025140500AB'), who: enterprise, mode: fc.constantFrom('transfer', 'equity') }).map(({ reg, who, mode }) => ({
      programId: 'tech-transaction',
      uscc: who,
      details: { year: 2025, contracts: [{ contractNo: 'HT-1', registrationNo: reg, mode, amount: '1000000.00', counterparty: '大学', signedOn: '2025-03-01' }] },
    }));
    fc.assert(
      fc.property(application, application, (a, b) => {
        const ledger = grantInOrder([a, b]);
        expect(total(ledger, (k) => k.startsWith('contract:')).lessThanOrEqualTo(200_000)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('第3条: one enterprise gets start-up capital once, at most 500,000', () => {
    const application = fc.record({ capital: money(2_000_000) }).map(({ capital }) => ({
      programId: 'startup-capital',
      uscc: uscc(1),
      details: { paidInCapital: capital, selectedOn: '2025-03-01' },
    }));
    fc.assert(
      fc.property(application, application, (a, b) => {
        const ledger = grantInOrder([a, b]);
        expect(ledger.filter((g) => g.benefitKey.endsWith(':startup-capital')).length).toBeLessThanOrEqual(1);
        expect(total(ledger, (k) => k.endsWith(':startup-capital')).lessThanOrEqualTo(500_000)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('第9、10、12条: one enterprise’s project, agreement or team, however written, is paid once at the highest standard', () => {
    const competition = fc.record({ id: spelling('P-7'), rank: fc.constantFrom(1, 2, 3) }).map(({ id, rank }) => ({
      programId: 'competition-award',
      uscc: uscc(1),
      details: { projectId: id, projectName: '项目', level: 'shanxi', rank, awardedOn: '2025-06-01' },
    }));
    const agreement = fc.record({ id: spelling('A-6'), deal: money(200_000_000) }).map(({ id, deal }) => ({
      programId: 'first-of-kind',
      uscc: uscc(1),
      details: { agreementNo: id, agreementSignedOn: '2025-03-01', productName: '装备', buyer: '用户', dealAmount: deal, provincialStandardAmount: '10000000.00' },
    }));
    const team = fc.record({ id: spelling('TEAM-1'), award: money(5_000_000) }).map(({ id, award }) => ({
      programId: 'entrepreneurship',
      uscc: uscc(1),
      details: { kind: 'team-match', teamId: id, awardAmount: award, recognizedOn: '2025-05-01' },
    }));
    fc.assert(
      fc.property(competition, competition, agreement, agreement, team, team, (c1, c2, a1, a2, t1, t2) => {
        const ledger = grantInOrder([c1, c2, a1, a2, t1, t2]);
        expect(total(ledger, (k) => k.startsWith('project:')).lessThanOrEqualTo(50_000)).toBe(true);
        expect(ledger.filter((g) => g.benefitKey.startsWith('agreement:')).length).toBeLessThanOrEqual(1);
        expect(total(ledger, (k) => k.startsWith('agreement:')).lessThanOrEqualTo(10_000_000)).toBe(true);
        expect(total(ledger, (k) => k.startsWith('team:')).lessThanOrEqualTo(2_500_000)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
