import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { assessedInReview, tableOnDynamoDbLocal } from '../support/dynamodb.js';
import { platformAward, uscc } from '../support/fixtures.js';

/** The Assess and Grant step handlers on DynamoDB Local: two applications race for one benefit key. */
describe('Grant under a race for one benefit key', () => {
  let dynamodb: DynamoDbLocal;
  beforeAll(async () => {
    dynamodb = await tableOnDynamoDbLocal();
  });
  afterAll(() => dynamodb.stop());

  it('pays the entitlement once in total, never twice', async () => {
    const { readLedger } = await import('../../functions/store/ledger.js');
    const grant = (await import('../../functions/steps/grant.js')).handler;

    const ids: string[] = [];
    for (const n of [41, 42]) {
      const id = `01JCGRACE0000000000000000${n - 41}`;
      expect(await assessedInReview(id, uscc(n), 'platform-award', platformAward('LAB-SHARED').details)).toMatchObject({ eligible: true, amount: '500000.00' });
      ids.push(id);
    }

    const outcomes = await Promise.all(ids.map((applicationId) => grant({ applicationId })));
    expect(outcomes.map((o) => o.status).sort()).toEqual(['AWAITING_PUBLICITY', 'INELIGIBLE']);
    expect(outcomes.find((o) => o.status === 'AWAITING_PUBLICITY')?.amount).toBe('500000.00');

    const ledger = await readLedger({ keys: ['platform:平台labshared:construction'] });
    expect(ledger.grants.map((g) => g.amount)).toEqual(['500000.00']);
    expect(ledger.versions.get('platform:平台labshared:construction')).toBe(1);
  });

  it('pays one benefit key once when 50 applications race for it through Grant', async () => {
    const { readLedger } = await import('../../functions/store/ledger.js');
    const grant = (await import('../../functions/steps/grant.js')).handler;
    const ids = Array.from({ length: 50 }, (_, i) => `01JCGRACE0000000000000${String(100 + i).padStart(4, '0')}`);
    for (const [i, id] of ids.entries()) await assessedInReview(id, uscc(200 + i), 'platform-award', platformAward('LAB-FIFTY').details);
    const outcomes = await Promise.all(ids.map((applicationId) => grant({ applicationId })));
    expect(outcomes.filter((o) => o.status === 'AWAITING_PUBLICITY')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'INELIGIBLE')).toHaveLength(49);
    const ledger = await readLedger({ keys: ['platform:平台labfifty:construction'] });
    expect(ledger.grants.map((g) => g.amount)).toEqual(['500000.00']);
  });

  it('keeps two racing 第8条 awards of one enterprise within the year’s 500,000, recording contract and year keys together', async () => {
    const { readLedger } = await import('../../functions/store/ledger.js');
    const grant = (await import('../../functions/steps/grant.js')).handler;
    const enterprise = uscc(43);
    const contract = (contractNo: string) => ({ contractNo, registrationNo: `REG-${contractNo}`, mode: 'transfer', amount: '1500000.00', counterparty: '大学', signedOn: '2025-03-01' });
    const ids = ['01JCGRACE00000000000000010', '01JCGRACE00000000000000011'];
    for (const [i, id] of ids.entries()) {
      expect(await assessedInReview(id, enterprise, 'tech-transaction', { year: 2025, contracts: [contract(`TT-${i}`)] })).toMatchObject({ amount: '300000.00' });
    }

    const outcomes = await Promise.all(ids.map((applicationId) => grant({ applicationId })));
    expect(outcomes.map((o) => o.amount).sort()).toEqual(['200000.00', '300000.00']);
    const year = await readLedger({ keys: [`enterprise:${enterprise}:tech-transaction:2025`, 'contract:regtt0:tech-transaction', 'contract:regtt1:tech-transaction'] });
    const recorded = (key: string) => year.grants.filter((g) => g.benefitKey === key).map((g) => g.amount);
    expect(recorded(`enterprise:${enterprise}:tech-transaction:2025`).sort()).toEqual(['200000.00', '300000.00']);
    expect([...recorded('contract:regtt0:tech-transaction'), ...recorded('contract:regtt1:tech-transaction')].sort()).toEqual(['200000.00', '300000.00']);
  });
});
