import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import type { DynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { formatYuan, sumYuan, yuan } from '../../functions/domain/money.js';
import { approvedThroughPublicity, tableOnDynamoDbLocal } from '../support/dynamodb.js';
import { uscc } from '../support/fixtures.js';

/**
 * Batches larger than one DynamoDB transaction are written in chunks, atomic per application; two
 * batches created at once from the same pool never share an application.
 */
describe('batches in chunks, created concurrently', () => {
  let dynamodb: DynamoDbLocal;
  beforeAll(async () => {
    dynamodb = await tableOnDynamoDbLocal();
  });
  afterAll(() => dynamodb.stop());

  it('puts each of 75 approved applications in exactly one of two racing batches, with exact totals', async () => {
    const { submitApplication, applicationsInStatus, updateApplication, getApplication } = await import('../../functions/store/applications.js');
    const { createBatch, batchItems, getBatch } = await import('../../functions/store/batches.js');
    const now = new Date().toISOString();
    for (let i = 0; i < 75; i++) {
      const id = ulid();
      await submitApplication(
        { id, programId: 'startup-capital', uscc: uscc(90), status: 'SUBMITTED', details: {}, submittedOn: '2025-07-01', createdAt: now, updatedAt: now, version: 1 },
        { key: `chunk-${i}`, requestHash: 'h' },
      );
      const inReview = await updateApplication((await getApplication(id))!, 'openTask', { stage: 'DEPT_REVIEW', amountUnderReview: `${1000 + i}.01`, openTaskId: `t-${i}` }, { actor: 'test' });
      await approvedThroughPublicity(inReview, `${1000 + i}.01`);
    }
    const pool = await applicationsInStatus('APPROVED');
    expect(pool).toHaveLength(75);
    const candidates = pool.map((application) => ({
      application,
      measure: '晋市政办〔2024〕39号 第3条',
      line: { applicationId: application.id, uscc: application.uscc, programId: application.programId, amount: application.approvedAmount!, payee: { name: 'x', bank: 'y', number: '12345678' } },
    }));

    const [a, b] = await Promise.all([createBatch(ulid(), 'officer-a', candidates), createBatch(ulid(), 'officer-b', candidates)]);
    const batches = [a, b].filter((batch) => batch !== undefined);
    const inBatches: string[] = [];
    for (const batch of batches) {
      const items = [];
      for await (const page of batchItems(batch.batchId)) items.push(...page);
      inBatches.push(...items.map((item) => item.applicationId));
      const stored = (await getBatch(batch.batchId))!;
      expect(stored.count).toBe(items.length);
      expect(stored.total).toBe(formatYuan(sumYuan(items.map((item) => yuan(item.amount)))));
    }
    expect(inBatches.sort()).toEqual(pool.map((p) => p.id).sort());
    expect(await applicationsInStatus('APPROVED')).toHaveLength(0);
    const batched = await applicationsInStatus('BATCHED');
    expect(batched).toHaveLength(75);
    for (const application of batched) expect(batches.map((x) => x.batchId)).toContain(application.batchId);
  });
});
