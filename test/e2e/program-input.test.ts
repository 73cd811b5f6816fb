import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentId, uscc } from '../support/fixtures.js';
import { type ApiClient, LocalStackProcess } from '../support/local-stack.js';

const person = { idNumber: residentId(), name: '张博士', degree: 'phd', hiredOn: '2025-01-10', contractYears: 5, socialInsuranceMonths: 8, fullTime: true };
const badCheckDigit = `${person.idNumber.slice(0, 17)}${person.idNumber[17] === '0' ? '1' : '0'}`;
const contract = { contractNo: 'C-1', registrationNo: '2025140500001', mode: 'transfer', amount: '1000.00', counterparty: '大学', signedOn: '2025-03-01' };

/** [program, details, the field path the 400 must name] */
const CASES: [string, Record<string, unknown>, string][] = [
  ['startup-capital', { paidInCapital: 600000, selectedOn: '2025-03-01' }, 'details.paidInCapital'],
  ['startup-capital', { paidInCapital: '600000.001', selectedOn: '2025-03-01' }, 'details.paidInCapital'],
  ['startup-capital', { paidInCapital: '600000.00', selectedOn: '2025-02-29' }, 'details.selectedOn'],
  ['platform-award', { platformId: 'P', platformName: 'x', kind: 'moon-base', approvedOn: '2025-03-01' }, 'details.kind'],
  ['platform-award', { platformId: 'P', platformName: 'x', kind: 'incubator-assessment', approvedOn: '2025-03-01' }, 'details.provincialAmount'],
  ['tech-transaction', { year: 2025, contracts: Array.from({ length: 201 }, (_, i) => ({ ...contract, contractNo: `C-${i}`, registrationNo: `R-${i}` })) }, 'details.contracts'],
  ['tech-transaction', { year: 2025, contracts: [] }, 'details.contracts'],
  ['tech-transaction', { year: 2025, contracts: [contract, contract] }, 'details.contracts'],
  ['tech-transaction', { year: '2025', contracts: [contract] }, 'details.year'],
  ['tech-transaction', { year: 2025, contracts: [{ ...contract, mode: 'gift' }] }, 'details.contracts.0.mode'],
  ['competition-award', { projectId: 'P', projectName: 'x', level: 'shanxi', awardedOn: '2025-06-01' }, 'details.rank'],
  ['competition-award', { projectId: 'P', projectName: 'x', level: 'shanxi', rank: 4 }, 'details.rank'],
  ['first-of-kind', { agreementNo: 'A', productName: 'x', buyer: 'y', dealAmount: '1e6', provincialStandardAmount: '1.00' }, 'details.dealAmount'],
  ['talent-introduction', { person: { ...person, idNumber: badCheckDigit }, tier: 'A', mode: 'full-time' }, 'details.person.idNumber'],
  ['talent-introduction', { person: { ...person, idNumber: residentId('14050219900230123') }, tier: 'A', mode: 'full-time' }, 'details.person.idNumber'],
  ['talent-introduction', { person, tier: 'F', mode: 'full-time' }, 'details.tier'],
  ['talent-introduction', { person: { ...person, contractYears: 3.5 }, tier: 'A', mode: 'full-time' }, 'details.person.contractYears'],
  ['talent-flexible-monthly', { person, months: ['2025-13'], monthlyAmount: '1.00' }, 'details.months.0'],
  ['talent-flexible-monthly', { person, months: ['2025-02', '2025-02'], monthlyAmount: '1.00' }, 'details.months'],
  ['entrepreneurship', { kind: 'lottery', teamId: 'T' }, 'details.kind'],
  ['entrepreneurship', { kind: 'graduate-startup', stage: 'unicorn' }, 'details.stage'],
  ['talent-living-allowance', { person: { ...person, fullTime: 'yes' }, months: ['2025-02'] }, 'details.person.fullTime'],
  ['talent-housing', { person, subsidy: { type: 'rent', months: ['2025-02'], monthlyRent: 1500 } }, 'details.subsidy.monthlyRent'],
  ['talent-housing', { person, subsidy: { type: 'purchase', purchaseContractDate: '2025-04-31', purchaseContractNo: 'H' } }, 'details.subsidy.purchaseContractDate'],
  // Second round: the new fields are required where the text needs them, and checked.
  ['tech-transaction', { year: 2025, contracts: [{ ...contract, registrationNo: undefined }] }, 'details.contracts.0.registrationNo'],
  ['tech-transaction', { year: 2025, contracts: [contract, { ...contract, contractNo: 'C-2', registrationNo: ' 2025-1405-00001 ' }] }, 'details.contracts'],
  ['competition-award', { projectId: 'P', projectName: 'x', level: 'shanxi', rank: 1 }, 'details.awardedOn'],
  ['first-of-kind', { agreementNo: 'A', productName: 'x', buyer: 'y', dealAmount: '1.00', provincialStandardAmount: '1.00' }, 'details.agreementSignedOn'],
  ['platform-award', { platformId: 'P', platformName: '。。', kind: 'provincial-key-lab', approvedOn: '2025-03-01' }, 'details.platformName'],
  ['platform-award', { platformId: 'P', platformName: 'x', kind: 'incubator-assessment', approvedOn: '2025-03-01', provincialAmount: '1.00', assessmentYear: 2025 }, 'details.resultOn'],
  ['talent-flexible-monthly', { person: { ...person, fullTime: false }, months: ['2025-02'], monthlyAmount: '1.00' }, 'details.tier'],
  ['talent-living-allowance', { person: { ...person, leftOn: '2024-01-01' }, months: ['2025-02'] }, 'details.person.leftOn'],
  ['entrepreneurship', { kind: 'team-match', teamId: 'T', awardAmount: '1.00' }, 'details.recognizedOn'],
  ['entrepreneurship', { kind: 'graduate-startup', stage: 'subsidy' }, 'details.founder'],
];

/** Bad details for every program: a 400 that names the field, for quotes and applications alike, and nothing stored. */
describe('bad details for every program', () => {
  const stack = new LocalStackProcess({ inMemory: true });
  let enterprise: ApiClient;
  beforeAll(async () => {
    await stack.start();
    enterprise = await stack.as({ sub: 'clerk-61', role: 'enterprise', uscc: uscc(61) });
  });
  afterAll(() => stack.stop());

  it.each(CASES)('%s: %j → 400 at the field', async (programId, details, path) => {
    for (const response of [
      await enterprise.post('/quotes', { programId, details }),
      await enterprise.post('/applications', { programId, details }, { 'idempotency-key': 'program-input-01' }),
    ]) {
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_ERROR');
      const paths = response.body.error.issues.map((i: { path: string }) => i.path);
      expect(paths.some((p: string) => p === path || p.startsWith(`${path}.`))).toBe(true);
    }
  });

  it('stored nothing', async () => {
    expect((await enterprise.get('/applications')).body.items).toEqual([]);
  });
});
