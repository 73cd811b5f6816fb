import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { synthesizeLocal } from '../../infra/local/synth.js';
import { platformAward, registryEntry, uscc } from '../support/fixtures.js';

/** The Assess and Grant step handlers on DynamoDB Local: two applications race for one benefit key. */
describe('Grant under a race for one benefit key', () => {
  let dynamodb: DynamoDbLocal;
  beforeAll(async () => {
    dynamodb = await startDynamoDbLocal();
    const { table } = synthesizeLocal();
    Object.assign(process.env, {
      TABLE_NAME: table.TableName,
      AWS_REGION: 'local',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    });
    const admin = new DynamoDBClient({});
    await admin.send(new CreateTableCommand(table));
    admin.destroy();
  });
  afterAll(() => dynamodb.stop());

  it('pays the entitlement once in total, never twice', async () => {
    const { submitApplication, getApplication, updateApplication } = await import('../../functions/store/applications.js');
    const { putRegistryEntry } = await import('../../functions/store/registry.js');
    const { readLedger } = await import('../../functions/store/ledger.js');
    const assess = (await import('../../functions/steps/assess.js')).handler;
    const grant = (await import('../../functions/steps/grant.js')).handler;

    const ids: string[] = [];
    for (const n of [41, 42]) {
      const enterprise = uscc(n);
      await putRegistryEntry({ uscc: enterprise, ...registryEntry(), updatedAt: new Date().toISOString() });
      const now = new Date().toISOString();
      const id = `01JCGRACE0000000000000000${n - 41}`;
      await submitApplication(
        { id, programId: 'platform-award', uscc: enterprise, status: 'SUBMITTED', details: platformAward('LAB-SHARED').details, submittedOn: '2025-07-01', createdAt: now, updatedAt: now, version: 1 },
        { key: `race-${n}-key`, requestHash: 'h' },
      );
      expect(await assess({ applicationId: id })).toMatchObject({ eligible: true, amount: '500000.00' });
      await updateApplication((await getApplication(id))!, { status: 'IN_REVIEW', stage: 'DEPT_REVIEW' }, { type: 'TASK_OPENED', actor: 'test' });
      ids.push(id);
    }

    const outcomes = await Promise.all(ids.map((applicationId) => grant({ applicationId })));
    expect(outcomes.map((o) => o.status).sort()).toEqual(['APPROVED', 'INELIGIBLE']);
    expect(outcomes.find((o) => o.status === 'APPROVED')?.amount).toBe('500000.00');

    const ledger = await readLedger({ keys: ['platform:LAB-SHARED:construction'] });
    expect(ledger.grants.map((g) => g.amount)).toEqual(['500000.00']);
    expect(ledger.versions.get('platform:LAB-SHARED:construction')).toBe(1);
  });
});
