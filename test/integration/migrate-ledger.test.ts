import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { approvedThroughPublicity, tableOnDynamoDbLocal } from '../support/dynamodb.js';
import { uscc } from '../support/fixtures.js';

/**
 * The operator's ledger migration on DynamoDB Local: grants and in-flight assessments written with the
 * first round's keys move to the normalised keys, levels are set, and the migrated ledger then stops
 * a second payment that the old keys would have let through.
 */
describe('migrating the ledger to the second round’s keys', () => {
  let dynamodb: DynamoDbLocal;
  beforeAll(async () => {
    dynamodb = await tableOnDynamoDbLocal();
  });
  afterAll(() => dynamodb.stop());

  /** A grant item exactly as the first round wrote it: no level, no uscc, key by the applicant's id. */
  async function oldGrant(benefitKey: string, grantId: string, amount: string, extra: Record<string, unknown> = {}) {
    const { db } = await import('../../functions/store/client.js');
    const { config } = await import('../../functions/config.js');
    const { transact } = await import('../../functions/store/transactions.js');
    const { totalUpdate } = await import('../../functions/store/ledger.js');
    const subject = benefitKey.split(':').slice(0, 2).join(':');
    await db.send(
      new PutCommand({
        TableName: config.tableName,
        Item: { PK: `BENEFIT#${benefitKey}`, SK: `GRANT#${grantId}`, GSI1PK: `GRANTS#${subject}`, GSI1SK: `${benefitKey}#${grantId}`, entity: 'Grant', benefitKey, grantId, amount, policy: '晋市政办〔2024〕39号', grantedOn: '2025-06-01', ...extra },
      }),
    );
    if (!extra.applicationId) {
      await db.send(new PutCommand({ TableName: config.tableName, Item: { PK: `IMPORTED_GRANT#${grantId}`, SK: 'IMPORTED_GRANT', entity: 'ImportedGrant', benefitKey } }));
    }
    await transact([totalUpdate(benefitKey, 0, amount)]);
  }

  async function oldApplication(id: string, enterprise: string, status: string, programId: string, details: Record<string, unknown>, assessment?: unknown) {
    const { submitApplication, getApplication, updateApplication } = await import('../../functions/store/applications.js');
    const now = new Date().toISOString();
    await submitApplication({ id, programId, uscc: enterprise, status: 'SUBMITTED', details, submittedOn: '2025-07-01', createdAt: now, updatedAt: now, version: 1 }, { key: `k-${id}`, requestHash: 'h' });
    // Walked through the lifecycle's transitions to the status wanted (IN_REVIEW or APPROVED).
    const event = { actor: 'test' };
    let application = (await getApplication(id))!;
    if (assessment) application = await updateApplication(application, 'assess', { assessment: assessment as never, amountUnderReview: '0.00', duplicateWarnings: [] }, event);
    application = await updateApplication(application, 'openTask', { stage: 'DEPT_REVIEW', amountUnderReview: '0.00', openTaskId: `t-${id}` }, event);
    if (status === 'APPROVED') await approvedThroughPublicity(application, '0.00');
  }

  it('moves grants and in-flight claims to normalised keys, sets levels, recomputes totals, and is idempotent', async () => {
    const { migrateLedger } = await import('../../functions/store/ledger-migration.js');
    const { readLedger } = await import('../../functions/store/ledger.js');
    const { getApplication } = await import('../../functions/store/applications.js');
    const [a, b] = [uscc(401), uscc(402)];

    // Granted by this system: a platform under its applicant's id, a contract under its contract number.
    await oldApplication('01JCGMIGRATE00000000000001', a, 'APPROVED', 'platform-award', { platformId: 'VAR-1', platformName: '先进材料 省重点实验室', kind: 'provincial-key-lab', approvedOn: '2025-06-01' });
    await oldGrant('platform:VAR-1:construction', '01JCGMIGRATE00000000000001', '500000.00', { applicationId: '01JCGMIGRATE00000000000001' });
    await oldApplication('01JCGMIGRATE00000000000002', a, 'APPROVED', 'competition-award', { projectId: 'P-1', projectName: '项目', level: 'shanxi', rank: 1 });
    await oldGrant('project:P-1:competition:shanxi', '01JCGMIGRATE00000000000002', '50000.00', { applicationId: '01JCGMIGRATE00000000000002' });
    // Imported: a platform id the operator maps to its name, a provincial grant, and a team nobody mapped.
    await oldGrant('platform:LAB-77:construction', 'IMP-1', '100000.00', { policy: '晋城市科技创新平台政策' });
    await oldGrant('platform:SX-9:construction', 'IMP-2', '300000.00', { policy: '山西省科技创新平台政策' });
    await oldGrant('team:TEAM-1:entrepreneurship', 'IMP-3', '10000.00', { policy: '晋城市人才政策' });
    // In review: its recorded claim still names the old key.
    await oldApplication('01JCGMIGRATE00000000000003', b, 'IN_REVIEW', 'first-of-kind', { agreementNo: 'A-6', productName: 'x', buyer: 'y', dealAmount: '1000.00', provincialStandardAmount: '1000.00' }, {
      programId: 'first-of-kind', eligible: true, amount: '100.00', currency: 'CNY', lines: [], priorGrants: [], reasons: [], department: 'kejiju', submittedOn: '2025-07-01', parametersUsed: [],
      claims: [{ benefitKey: 'agreement:A-6:first-of-kind', mode: 'exclusive', entitlement: '100.00', priorTotal: '0.00', payable: '100.00' }],
      groupCap: { benefitKey: `enterprise:${b}:first-of-kind`, cap: '10000000.00', priorTotal: '0.00', allowed: '100.00' },
    });

    const mapping = { 'platform:LAB-77': '晋城市 技术创新中心', 'platform:SX-9': '太行实验室' };
    const dry = await migrateLedger({ mapping, levelByPolicy: { 山西省科技创新平台政策: 'provincial' }, dryRun: true });
    expect(dry.moved).toHaveLength(4);
    expect((await readLedger({ keys: ['platform:VAR-1:construction'] })).grants).toHaveLength(1);

    const report = await migrateLedger({ mapping, levelByPolicy: { 山西省科技创新平台政策: 'provincial' } });
    expect(report.moved.map((m) => [m.from, m.to, m.how]).sort()).toEqual(
      [
        ['platform:VAR-1:construction', 'platform:先进材料省重点实验室:construction', 'from-application'],
        [`project:P-1:competition:shanxi`, `project:${a}.p1:competition:shanxi`, 'from-application'],
        ['platform:LAB-77:construction', 'platform:晋城市技术创新中心:construction', 'from-mapping'],
        ['platform:SX-9:construction', 'platform:太行实验室:construction', 'from-mapping'],
      ].sort(),
    );
    expect(report.unresolved).toEqual([{ grantId: 'IMP-3', key: 'team:TEAM-1:entrepreneurship', why: expect.stringContaining('映射文件') }]);
    expect(report.applicationsRewritten).toEqual(['01JCGMIGRATE00000000000003']);

    const moved = await readLedger({ keys: ['platform:先进材料省重点实验室:construction', 'platform:VAR-1:construction', 'platform:太行实验室:construction'] });
    expect(moved.grants.map((g) => [g.benefitKey, g.amount, g.level, g.uscc])).toEqual(
      expect.arrayContaining([
        ['platform:先进材料省重点实验室:construction', '500000.00', 'municipal', a],
        ['platform:太行实验室:construction', '300000.00', 'provincial', undefined],
      ]),
    );
    expect(moved.grants.filter((g) => g.benefitKey === 'platform:VAR-1:construction')).toEqual([]);
    expect(moved.versions.get('platform:VAR-1:construction')).toBe(2);
    const inReview = (await getApplication('01JCGMIGRATE00000000000003'))!;
    expect(inReview.assessment!.claims[0]!.benefitKey).toBe(`agreement:${b}.a6:first-of-kind`);

    // Running it again changes nothing.
    const again = await migrateLedger({ mapping });
    expect({ moved: again.moved, levelsSet: again.levelsSet, rewritten: again.applicationsRewritten }).toEqual({ moved: [], levelsSet: 0, rewritten: [] });

    // And the migrated ledger now blocks the respelled platform the old keys would have paid again.
    const { assessNow } = await import('../../functions/services/assessor.js');
    const { putRegistryEntry } = await import('../../functions/store/registry.js');
    const { registryEntry } = await import('../support/fixtures.js');
    await putRegistryEntry({ uscc: b, ...registryEntry(), updatedAt: new Date().toISOString() });
    const quote = await assessNow({ programId: 'platform-award', uscc: b, submittedOn: '2025-09-01', details: { platformId: 'ＶＡＲ-１', platformName: '先进材料省重点实验室。', kind: 'provincial-key-lab', approvedOn: '2025-06-01' } });
    expect(quote).toMatchObject({ eligible: false, reasons: [{ code: 'ALREADY_GRANTED' }] });
    // A provincial grant is an input, not a deduction: the platform it was for is paid in full.
    const provincial = await assessNow({ programId: 'platform-award', uscc: b, submittedOn: '2025-09-01', details: { platformId: 'SX-9', platformName: '太行实验室', kind: 'provincial-key-lab', approvedOn: '2025-06-01' } });
    expect(provincial).toMatchObject({ eligible: true, amount: '500000.00' });
  });
});
