import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ApplicationRecord } from '../../functions/store/applications.js';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { synthesizeLocal } from '../../infra/local/synth.js';

/**
 * DynamoDB Local (in memory) with the table CDK defines, and the environment the handlers read — for
 * integration tests that call store modules and step handlers in this process.
 */
export async function tableOnDynamoDbLocal(): Promise<DynamoDbLocal> {
  const dynamodb = await startDynamoDbLocal();
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
  return dynamodb;
}

/**
 * Submits an application on the table and runs the Assess step on it, then puts it where Grant finds
 * it: in review at the department stage. Returns what Assess answered.
 */
export async function assessedInReview(id: string, enterprise: string, programId: string, details: unknown): Promise<unknown> {
  const { submitApplication, getApplication, updateApplication } = await import('../../functions/store/applications.js');
  const { putRegistryEntry } = await import('../../functions/store/registry.js');
  const { registryEntry } = await import('./fixtures.js');
  const assess = (await import('../../functions/steps/assess.js')).handler;
  await putRegistryEntry({ uscc: enterprise, ...registryEntry(), updatedAt: new Date().toISOString() });
  const now = new Date().toISOString();
  await submitApplication(
    { id, programId, uscc: enterprise, status: 'SUBMITTED', details: details as Record<string, unknown>, submittedOn: '2025-07-01', createdAt: now, updatedAt: now, version: 1 },
    { key: `key-${id}`, requestHash: 'h' },
  );
  const assessed = await assess({ applicationId: id });
  const application = (await getApplication(id))!;
  await updateApplication(
    application,
    'openTask',
    { stage: 'DEPT_REVIEW', amountUnderReview: application.amountUnderReview ?? '0.00', openTaskId: `task-${id}` },
    { actor: 'test' },
  );
  return assessed;
}

/**
 * Takes an application in review to APPROVED the way the workflow does, through the lifecycle's
 * transitions: granted for 公示, in a notice, its period passed.
 */
export async function approvedThroughPublicity(inReview: ApplicationRecord, approvedAmount: string): Promise<ApplicationRecord> {
  const { updateApplication } = await import('../../functions/store/applications.js');
  const event = { actor: 'test' };
  return passedPublicity(await updateApplication(inReview, 'grantForPublicity', { approvedAmount, reservations: [] }, event));
}

/** An award that awaits 公示, taken through a notice and its period to APPROVED. */
export async function passedPublicity(awaiting: ApplicationRecord): Promise<ApplicationRecord> {
  const { updateApplication } = await import('../../functions/store/applications.js');
  const event = { actor: 'test' };
  const publicizing = await updateApplication(awaiting, 'publicize', { noticeId: `N-${awaiting.id}`, publicityClosesAt: new Date().toISOString(), openObjections: 0 }, event);
  return updateApplication(publicizing, 'publicityPassed', {}, event);
}
