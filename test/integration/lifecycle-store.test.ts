import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { assessedInReview, tableOnDynamoDbLocal } from '../support/dynamodb.js';
import { platformAward, uscc } from '../support/fixtures.js';

/**
 * The store applies the lifecycle's transitions on DynamoDB Local: a decision on an application stored
 * with the first round's `stage:sub` deciders rewrites them structured, and a transition the table
 * does not allow writes nothing.
 */
describe('transitions applied by the store', () => {
  let dynamodb: DynamoDbLocal;
  beforeAll(async () => {
    dynamodb = await tableOnDynamoDbLocal();
  });
  afterAll(() => dynamodb.stop());

  it('migrates `stage:sub` deciders to the structured shape when the next decision is written', async () => {
    const { db } = await import('../../functions/store/client.js');
    const { config } = await import('../../functions/config.js');
    const { keys } = await import('../../functions/store/keys.js');
    const { getApplication } = await import('../../functions/store/applications.js');
    const { openTask, decideTask, getTask } = await import('../../functions/store/tasks.js');
    const { newOutboxItem } = await import('../../functions/store/outbox.js');
    const { decidedAnotherStage } = await import('../../functions/domain/review.js');

    const id = '01JCGLIFECYCLE000000000001';
    await assessedInReview(id, uscc(501), 'platform-award', platformAward('LIFECYCLE-1').details);
    // As the first round stored it: the park stage decided by someone whose sub holds a colon.
    await db.send(
      new UpdateCommand({ TableName: config.tableName, Key: keys.application(id), UpdateExpression: 'SET deciders = :d', ExpressionAttributeValues: { ':d': ['PARK_PRELIM:oidc:alice'] } }),
    );
    const before = (await getApplication(id))!;
    expect(decidedAnotherStage(before, 'oidc:alice', 'DEPT_REVIEW')).toBe(true);

    const createdAt = new Date().toISOString();
    const task = { taskId: 'lifecycle-task-1', applicationId: id, programId: before.programId, uscc: before.uscc, stage: 'DEPT_REVIEW' as const, dept: 'kejiju', amount: before.amountUnderReview!, token: 'token-1', status: 'OPEN' as const, createdAt, dueAt: createdAt };
    expect(await openTask(task, before)).toBe('opened');
    const opened = (await getApplication(id))!;
    expect(opened).toMatchObject({ status: 'IN_REVIEW', stage: 'DEPT_REVIEW', openTaskId: task.taskId });

    const item = newOutboxItem(id, { action: 'SendTaskSuccess', taskToken: task.token, output: '{}' });
    await decideTask(task, opened, { decision: 'approve', decidedBy: 'bob', approvedAmount: '400000.00' }, item);

    const after = (await getApplication(id))!;
    expect(after.deciders).toEqual([
      { stage: 'PARK_PRELIM', sub: 'oidc:alice' },
      { stage: 'DEPT_REVIEW', sub: 'bob', decision: 'approve', at: item.createdAt },
    ]);
    expect(after).toMatchObject({ status: 'IN_REVIEW', amountUnderReview: '400000.00', version: opened.version + 1 });
    expect(after.openTaskId).toBeUndefined();
    expect((await getTask(task.taskId))?.status).toBe('DECIDED');
  });

  it('refuses a transition the table does not allow and writes nothing', async () => {
    const { getApplication, updateApplication } = await import('../../functions/store/applications.js');
    const { TransitionRefused } = await import('../../functions/domain/lifecycle.js');
    const { listEvents } = await import('../../functions/store/events.js');
    const grant = (await import('../../functions/steps/grant.js')).handler;

    const id = '01JCGLIFECYCLE000000000002';
    await assessedInReview(id, uscc(502), 'platform-award', platformAward('LIFECYCLE-2').details);
    expect(await grant({ applicationId: id })).toMatchObject({ status: 'AWAITING_PUBLICITY' });
    const approved = (await getApplication(id))!;
    const events = (await listEvents(id, 100)).items.length;

    await expect(updateApplication(approved, 'withdraw', { withdrawal: { by: 'x', reason: 'y', at: approved.updatedAt } }, { actor: 'x' })).rejects.toBeInstanceOf(TransitionRefused);
    await expect(updateApplication(approved, 'resubmit', { details: {} }, { actor: 'x' })).rejects.toBeInstanceOf(TransitionRefused);
    expect(await getApplication(id)).toEqual(approved);
    expect((await listEvents(id, 100)).items).toHaveLength(events);
    // Grant again (a retried step) leaves it as it is.
    expect(await grant({ applicationId: id })).toMatchObject({ status: 'AWAITING_PUBLICITY' });
    expect((await getApplication(id))?.version).toBe(approved.version);
  });

  it('clears what the table says: a resubmission drops the old assessment and the return', async () => {
    const { getApplication, updateApplication } = await import('../../functions/store/applications.js');
    const id = '01JCGLIFECYCLE000000000003';
    await assessedInReview(id, uscc(503), 'platform-award', platformAward('LIFECYCLE-3').details);
    let application = (await getApplication(id))!;
    application = await updateApplication(application, 'decide', { deciders: [{ stage: 'DEPT_REVIEW', sub: 'bob' }], returnComment: '请补充材料' }, { actor: 'bob' });
    application = await updateApplication(application, 'return', { revisionToken: 't', revisionDueAt: '2030-01-01T00:00:00.000Z' }, { actor: 'workflow' });
    const returned = (await getApplication(id))!;
    expect(returned).toMatchObject({ status: 'RETURNED', returnComment: '请补充材料', revisionToken: 't' });
    expect(returned.stage).toBeUndefined();

    await updateApplication(application, 'resubmit', { details: platformAward('LIFECYCLE-3').details as Record<string, unknown> }, { actor: 'clerk' });
    const resubmitted = (await getApplication(id))!;
    expect(resubmitted.status).toBe('SUBMITTED');
    for (const field of ['assessment', 'amountUnderReview', 'duplicateWarnings', 'revisionToken', 'revisionDueAt', 'returnComment'] as const) expect(resubmitted[field], field).toBeUndefined();
    expect(resubmitted.deciders).toEqual([{ stage: 'DEPT_REVIEW', sub: 'bob' }]);
    // Each transition wrote the event the table names for it.
    const { listEvents } = await import('../../functions/store/events.js');
    expect((await listEvents(id, 100)).items.map((e) => e.type).slice(-3)).toEqual(['DECIDED', 'RETURNED', 'RESUBMITTED']);
  });

  it('leaves an application withdrawn before Assess ran as it is, and ends the workflow as not eligible', async () => {
    const { submitApplication, getApplication, updateApplication } = await import('../../functions/store/applications.js');
    const assess = (await import('../../functions/steps/assess.js')).handler;
    const id = '01JCGLIFECYCLE000000000004';
    const now = new Date().toISOString();
    await submitApplication(
      { id, programId: 'platform-award', uscc: uscc(504), status: 'SUBMITTED', details: platformAward('LIFECYCLE-4').details as Record<string, unknown>, submittedOn: '2025-07-01', createdAt: now, updatedAt: now, version: 1 },
      { key: `key-${id}`, requestHash: 'h' },
    );
    await updateApplication((await getApplication(id))!, 'withdraw', { withdrawal: { by: 'clerk', reason: '不再申请', at: now } }, { actor: 'clerk' });
    const withdrawn = (await getApplication(id))!;
    expect(await assess({ applicationId: id })).toEqual({ eligible: false, amount: '0.00', department: 'kejiju' });
    expect(await getApplication(id)).toEqual(withdrawn);
  });
});
