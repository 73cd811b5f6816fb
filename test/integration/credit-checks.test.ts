import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { chinaDate } from '../../functions/domain/dates.js';
import { assessedInReview as assessedAndInReview, passedPublicity, tableOnDynamoDbLocal } from '../support/dynamodb.js';
import { platformAward, residentId, uscc } from '../support/fixtures.js';

const today = () => chinaDate(new Date());
const shift = (days: number) => chinaDate(new Date(Date.now() + days * 86_400_000));

/**
 * The credit list is checked again at Grant and when a batch is made (POLICY.md §5.8), with the Assess
 * and Grant step handlers and the batch store on DynamoDB Local.
 */
describe('credit checked at Grant and at batch time', () => {
  let dynamodb: DynamoDbLocal;
  beforeAll(async () => {
    dynamodb = await tableOnDynamoDbLocal();
  });
  afterAll(() => dynamodb.stop());

  const assessedInReview = async (id: string, enterprise: string, programId: string, details: unknown) =>
    expect(await assessedAndInReview(id, enterprise, programId, details)).toMatchObject({ eligible: true });

  async function list(subjectType: 'enterprise' | 'person', subjectId: string, dates: { listedOn: string; liftedOn?: string; validUntil?: string }) {
    const { putCreditRestriction } = await import('../../functions/store/credit.js');
    await putCreditRestriction({ subjectType, subjectId, subjectLabel: subjectId, reason: '严重失信', lifted: false, updatedAt: new Date().toISOString(), updatedBy: 'admin-1', ...dates });
  }

  it('an enterprise listed while its application is in review ends INELIGIBLE (CREDIT_RESTRICTED) with no ledger reservation', async () => {
    const { getApplication } = await import('../../functions/store/applications.js');
    const { readLedger } = await import('../../functions/store/ledger.js');
    const { listEvents } = await import('../../functions/store/events.js');
    const grant = (await import('../../functions/steps/grant.js')).handler;
    const id = '01JCGCREDIT000000000000001';
    await assessedInReview(id, uscc(301), 'platform-award', platformAward('CREDIT-1').details);
    await list('enterprise', uscc(301), { listedOn: today() });

    expect(await grant({ applicationId: id })).toEqual({ status: 'INELIGIBLE', amount: '0.00' });
    expect((await getApplication(id))!.status).toBe('INELIGIBLE');
    const events = (await listEvents(id, 100)).items;
    expect(events.at(-1)).toMatchObject({ type: 'INELIGIBLE', data: { code: 'CREDIT_RESTRICTED' } });
    const ledger = await readLedger({ keys: ['platform:平台credit1:construction'] });
    expect(ledger.grants).toEqual([]);
    expect(ledger.versions.get('platform:平台credit1:construction')).toBe(0);
  });

  it('a person listed during review stops the talent award; a listing that starts tomorrow or was lifted does not', async () => {
    const { readLedger } = await import('../../functions/store/ledger.js');
    const { personKeyOf, protectDetails } = await import('../../functions/domain/personal-data.js');
    const grant = (await import('../../functions/steps/grant.js')).handler;
    const secret = 'credit-checks-secret';
    const person = (body: string) => ({ idNumber: residentId(body), name: '人才', degree: 'phd', hiredOn: '2025-01-10', contractYears: 5, socialInsuranceMonths: 6, fullTime: true });
    const details = (body: string) => protectDetails({ person: person(body), tier: 'B', mode: 'full-time' }, secret);

    const listed = '01JCGCREDIT000000000000002';
    await assessedInReview(listed, uscc(302), 'talent-introduction', details('14050219900101001'));
    await list('person', personKeyOf(residentId('14050219900101001'), secret), { listedOn: today() });
    expect(await grant({ applicationId: listed })).toMatchObject({ status: 'INELIGIBLE' });

    const future = '01JCGCREDIT000000000000003';
    await assessedInReview(future, uscc(303), 'talent-introduction', details('14050219900101002'));
    await list('person', personKeyOf(residentId('14050219900101002'), secret), { listedOn: shift(2) });
    expect(await grant({ applicationId: future })).toEqual({ status: 'AWAITING_PUBLICITY', amount: '150000.00' });

    const lifted = '01JCGCREDIT000000000000004';
    await assessedInReview(lifted, uscc(304), 'talent-introduction', details('14050219900101003'));
    await list('person', personKeyOf(residentId('14050219900101003'), secret), { listedOn: '2025-01-01', liftedOn: today() });
    expect(await grant({ applicationId: lifted })).toMatchObject({ status: 'AWAITING_PUBLICITY' });

    const expired = '01JCGCREDIT000000000000005';
    await assessedInReview(expired, uscc(305), 'talent-introduction', details('14050219900101004'));
    await list('person', personKeyOf(residentId('14050219900101004'), secret), { listedOn: '2025-01-01', validUntil: shift(-1) });
    expect(await grant({ applicationId: expired })).toMatchObject({ status: 'AWAITING_PUBLICITY' });

    const key = `person:${personKeyOf(residentId('14050219900101001'), secret)}:talent-introduction`;
    expect((await readLedger({ keys: [key] })).grants).toEqual([]);
  });

  it('an approved award whose enterprise is listed while it waits for payment is left out of the batch and flagged', async () => {
    const { getApplication } = await import('../../functions/store/applications.js');
    const { creditHolds, createBatch } = await import('../../functions/store/batches.js');
    const grant = (await import('../../functions/steps/grant.js')).handler;
    const [held, paid] = ['01JCGCREDIT000000000000010', '01JCGCREDIT000000000000011'];
    await assessedInReview(held, uscc(310), 'platform-award', platformAward('CREDIT-10').details);
    await assessedInReview(paid, uscc(311), 'platform-award', platformAward('CREDIT-11').details);
    for (const id of [held, paid]) expect(await grant({ applicationId: id })).toMatchObject({ status: 'AWAITING_PUBLICITY' });
    for (const id of [held, paid]) await passedPublicity((await getApplication(id))!);
    await list('enterprise', uscc(310), { listedOn: today() });

    const pool = [(await getApplication(held))!, (await getApplication(paid))!];
    const holds = await creditHolds(pool);
    expect(holds).toEqual([{ applicationId: held, uscc: uscc(310), programId: 'platform-award', amount: '500000.00', reason: expect.stringContaining('严重失信') }]);
    const candidates = pool
      .filter((a) => !holds.some((h) => h.applicationId === a.id))
      .map((application) => ({ application, measure: '第4条', line: { applicationId: application.id, uscc: application.uscc, programId: application.programId, amount: application.approvedAmount!, payee: { name: 'x', bank: 'y', number: '12345678' } } }));
    const batch = await createBatch('01JCGCREDITBATCH0000000001', 'finance-1', candidates, undefined, holds);
    expect(batch).toMatchObject({ count: 1, total: '500000.00', creditHeld: holds });
    expect((await getApplication(held))!.status).toBe('APPROVED');
    expect((await getApplication(paid))!.status).toBe('BATCHED');
  });
});
