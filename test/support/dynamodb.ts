import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
