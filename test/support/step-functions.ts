import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, type DescribeExecutionCommandOutput, SFNClient } from '@aws-sdk/client-sfn';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { JOURNAL_TABLE_DEFINITION, type LocalStepFunctions } from '../../infra/local/step-functions.js';

/** DynamoDB Local (in memory) with the local Step Functions engine's journal table, for tests that run the engine alone. */
export async function journalOnDynamoDbLocal(): Promise<DynamoDbLocal> {
  const dynamodb = await startDynamoDbLocal();
  const admin = new DynamoDBClient({ endpoint: dynamodb.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await admin.send(new CreateTableCommand(JOURNAL_TABLE_DEFINITION));
  admin.destroy();
  return dynamodb;
}

/** Starts the engine's endpoint; a client of it (an engine without security accepts any key). */
export async function listenWithClient(engine: LocalStepFunctions): Promise<{ endpoint: string; sfn: SFNClient }> {
  const endpoint = await engine.listen();
  return { endpoint, sfn: new SFNClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }) };
}

/** The execution once it has ended, or once `until` holds of it (waiting on the engine, not on time). */
export async function executionWhen(
  sfn: SFNClient,
  engine: LocalStepFunctions,
  executionArn: string,
  until: (execution: DescribeExecutionCommandOutput) => boolean = (e) => e.status !== 'RUNNING',
): Promise<DescribeExecutionCommandOutput> {
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (until(execution)) return execution;
    await engine.idle();
  }
}
