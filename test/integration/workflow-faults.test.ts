import { type SFNClient, RedriveExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { LocalStepFunctions } from '../../infra/local/step-functions.js';
import { executionWhen, journalOnDynamoDbLocal, listenWithClient } from '../support/step-functions.js';
import { LOCAL_STATE_MACHINE_ARN, LOCAL_TABLE_NAME, synthesizeLocal } from '../../infra/local/synth.js';

/**
 * The synthesized workflow on the local Step Functions endpoint with step functions that fail: a step
 * that throws is retried as the definition says, then the execution fails visibly (FAILED, with the
 * error); a redrive resumes it from the failed step without running the succeeded ones again.
 */
describe('a workflow step that keeps failing', () => {
  let dynamodb: DynamoDbLocal;
  let engine: LocalStepFunctions;
  let sfn: SFNClient;
  let endpoint: string;
  const calls: string[] = [];
  let grantFailures = Number.POSITIVE_INFINITY;

  beforeAll(async () => {
    dynamodb = await journalOnDynamoDbLocal();
    const { definition, functions } = synthesizeLocal({ stages: [] });
    const name = (arn: string) => functions.find((f) => arn.endsWith(f.logicalId))!.entry;
    engine = new LocalStepFunctions(
      LOCAL_STATE_MACHINE_ARN,
      definition,
      async (functionName) => {
        const entry = name(functionName);
        calls.push(entry);
        if (entry.endsWith('assess.ts')) return { eligible: true, amount: '100000.00', department: 'kejiju' };
        if (entry.endsWith('grant.ts')) {
          if (grantFailures-- > 0) throw new Error('DynamoDB is unreachable');
          return { status: 'APPROVED', amount: '100000.00' };
        }
        throw new Error(`unexpected step ${entry}`);
      },
      dynamodb.endpoint,
      { Grant: 0 },
    );
    ({ endpoint, sfn } = await listenWithClient(engine));
  });
  afterAll(async () => {
    await engine.close();
    await dynamodb.stop();
  });

  async function until(executionArn: string, status: string) {
    const execution = await executionWhen(sfn, engine, executionArn);
    if (execution.status !== status) throw new Error(`execution ended ${execution.status}: ${execution.cause}`);
    return execution;
  }

  it('retries Grant as defined, fails visibly, and a redrive finishes it without assessing again', async () => {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: LOCAL_STATE_MACHINE_ARN, name: 'APP-FAULT-1', input: '{"applicationId":"APP-FAULT-1"}' }));
    const failed = await until(executionArn!, 'FAILED');
    expect(failed).toMatchObject({ error: 'Error', cause: 'DynamoDB is unreachable' });
    // One attempt and three retries (States.TaskFailed: MaxAttempts 3), after one Assess.
    expect(calls.filter((c) => c.endsWith('grant.ts'))).toHaveLength(4);
    expect(calls.filter((c) => c.endsWith('assess.ts'))).toHaveLength(1);

    grantFailures = 0;
    await sfn.send(new RedriveExecutionCommand({ executionArn }));
    const succeeded = await until(executionArn!, 'SUCCEEDED');
    expect(JSON.parse(succeeded.output!).grant).toEqual({ status: 'APPROVED', amount: '100000.00' });
    expect(calls.filter((c) => c.endsWith('assess.ts'))).toHaveLength(1);
    await expect(sfn.send(new RedriveExecutionCommand({ executionArn }))).rejects.toThrow(/has not failed/);
  });

  it('lists failed workflows a page at a time, newest first, as the admin API does', async () => {
    grantFailures = Number.POSITIVE_INFINITY;
    for (const name of ['APP-FAULT-2', 'APP-FAULT-3', 'APP-FAULT-4']) {
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: LOCAL_STATE_MACHINE_ARN, name, input: JSON.stringify({ applicationId: name }) }));
      await until(executionArn!, 'FAILED');
    }
    // The listing reads the outbox too (calls still waiting for delivery): the app's table, empty here.
    const admin = new DynamoDBClient({ endpoint: dynamodb.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await admin.send(new CreateTableCommand(synthesizeLocal({ stages: [] }).table));
    Object.assign(process.env, {
      TABLE_NAME: LOCAL_TABLE_NAME,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      STATE_MACHINE_ARN: LOCAL_STATE_MACHINE_ARN,
      AWS_ENDPOINT_URL_SFN: endpoint,
      AWS_REGION: 'local',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    const { failedWorkflows } = await import('../../functions/services/workflow.js');
    const first = await failedWorkflows(2);
    expect(first.items.map((f) => f.applicationId)).toEqual(['APP-FAULT-4', 'APP-FAULT-3']);
    expect(first.items[0]).toMatchObject({ error: 'Error', cause: 'DynamoDB is unreachable' });
    const second = await failedWorkflows(2, first.nextToken);
    expect(second.items.map((f) => f.applicationId)).toEqual(['APP-FAULT-2']);
    expect(second.nextToken).toBeUndefined();
  });
});
