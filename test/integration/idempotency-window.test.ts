import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { IDEMPOTENCY_WINDOW_SECONDS } from '../../functions/store/keys.js';
import { tableOnDynamoDbLocal } from '../support/dynamodb.js';
import { platformAward, uscc } from '../support/fixtures.js';

/**
 * Idempotency records carry expiresAt (the table's TTL attribute). DynamoDB deletes expired items
 * late, so the store must treat an expired record as gone, as it does here on DynamoDB Local, which
 * never deletes them at all.
 */
describe('the idempotency window', () => {
  let dynamodb: DynamoDbLocal;
  beforeAll(async () => {
    dynamodb = await tableOnDynamoDbLocal();
  });
  afterAll(() => dynamodb.stop());

  const submit = async (id: string, createdAt: string, requestHash: string) => {
    const { submitApplication } = await import('../../functions/store/applications.js');
    const { details } = platformAward('LAB-IDEM-TTL');
    return submitApplication(
      { id, programId: 'platform-award', uscc: uscc(61), status: 'SUBMITTED', details, submittedOn: createdAt.slice(0, 10), createdAt, updatedAt: createdAt, version: 1 },
      { key: 'ttl-key-0001', requestHash },
    );
  };

  it('remembers a key within the window, and lets it start a new application once expired', async () => {
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const { db } = await import('../../functions/store/client.js');
    const { keys } = await import('../../functions/store/keys.js');
    const start = Date.now() - (IDEMPOTENCY_WINDOW_SECONDS + 3600) * 1000;
    const first = await submit('01JCGTTL00000000000000000A', new Date(start).toISOString(), 'h1');
    expect(first.created).toBe(true);
    const record = await db.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: keys.idempotency(uscc(61), 'ttl-key-0001') }));
    expect(record.Item?.expiresAt).toBe(Math.floor(start / 1000) + IDEMPOTENCY_WINDOW_SECONDS);

    // Within the window (one second before expiry): the earlier application is named.
    const within = await submit('01JCGTTL00000000000000000B', new Date(start + (IDEMPOTENCY_WINDOW_SECONDS - 1) * 1000).toISOString(), 'h1');
    expect(within).toEqual({ created: false, applicationId: '01JCGTTL00000000000000000A', requestHash: 'h1' });

    // After it, although the expired record is still in the table: a new application.
    const after = await submit('01JCGTTL00000000000000000C', new Date().toISOString(), 'h2');
    expect(after.created).toBe(true);
  });
});
